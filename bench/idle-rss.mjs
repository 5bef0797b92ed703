// Idle resident memory of the service (issue 14): starts `node dist/main.js`
// (run `npm run build` first) on the repository's media/ with the defaults,
// sends a few requests (listing, a stream range, health, metrics, a page),
// waits IDLE_RSS_WAIT_MS and reads /proc/<pid>/status and smaps_rollup.
// Runs IDLE_RSS_RUNS times one after the other and prints each run and the
// medians, so a change can be measured as "before/after, median of 3".
//
//   node bench/idle-rss.mjs                          # the service as `npm start` runs it
//   IDLE_RSS_NODE_FLAGS="--max-semi-space-size=1" node bench/idle-rss.mjs
//   IDLE_RSS_SCRIPT=bench/references/raw-node.mjs node bench/idle-rss.mjs
//   IDLE_RSS_DIAG=1 node bench/idle-rss.mjs           # also memoryUsage(), V8 heap spaces,
//                                                      # the biggest mappings (one run is enough)
//
// Any other variable passes through to the service (LOG_LEVEL, METRICS_ENABLED, ...).
// Linux only (reads /proc). Writes only under a temporary folder it removes.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.IDLE_RSS_RUNS ?? 3);
const waitMs = Number(process.env.IDLE_RSS_WAIT_MS ?? 5000);
const script = path.resolve(repo, process.env.IDLE_RSS_SCRIPT ?? 'dist/main.js');
const nodeFlags = (process.env.IDLE_RSS_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
const diag = process.env.IDLE_RSS_DIAG === '1';

// Loaded into the service with --import only with IDLE_RSS_DIAG=1: on SIGUSR2 it
// writes what the process itself knows about its memory to DIAG_OUT.
const DIAG_PRELOAD = `
import { writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import { createRequire } from 'node:module';
process.on('SIGUSR2', () => {
  const cache = createRequire(import.meta.url).cache;
  const byPackage = {};
  for (const file of Object.keys(cache)) {
    const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(file.split('node_modules/').length > 2 ? file.slice(file.lastIndexOf('node_modules/')) : file);
    const name = m ? m[1] : '(own code)';
    byPackage[name] = (byPackage[name] ?? 0) + 1;
  }
  writeFileSync(process.env.DIAG_OUT, JSON.stringify({
    memoryUsage: process.memoryUsage(),
    heapSpaces: v8.getHeapSpaceStatistics(),
    heap: v8.getHeapStatistics(),
    cjsModules: Object.keys(cache).length,
    cjsByPackage: byPackage,
  }));
});
`;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function get(base, pathname, headers = {}) {
  const response = await fetch(base + pathname, { headers });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, body };
}

async function waitUntilServing(base, child) {
  for (let i = 0; i < 300; i += 1) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      await get(base, '/api/videos/none/stream', { Range: 'bytes=0-0' });
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error('server did not answer within 30 s');
}

/** A few requests of each kind the deployment serves, so lazily built state exists. */
async function warm(base) {
  const listing = await get(base, '/api/videos');
  let ids = [];
  if (listing.status === 200) {
    const parsed = JSON.parse(listing.body.toString('utf8'));
    ids = (Array.isArray(parsed) ? parsed : (parsed.items ?? parsed.data ?? [])).map((item) => item.id);
  } else {
    ids = ['sample.mp4'];
  }
  for (let i = 0; i < 3; i += 1) {
    for (const id of ids.slice(0, 2)) {
      await get(base, `/api/videos/${encodeURIComponent(id)}/stream`, { Range: 'bytes=1000-5095' });
    }
    await get(base, '/health');
    await get(base, '/metrics');
    await get(base, '/');
  }
}

function statusFields(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return { rss: field('VmRSS'), anon: field('RssAnon'), file: field('RssFile'), shmem: field('RssShmem'), threads: field('Threads') };
}

/** The biggest mappings by Rss from smaps, grouped by what backs them. */
function biggestMappings(pid, top = 15) {
  const text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  const groups = new Map();
  let current = null;
  for (const line of text.split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      current = header[1] || '[anon]';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && current !== null) groups.set(current, (groups.get(current) ?? 0) + Number(rss[1]));
  }
  return [...groups].sort((a, b) => b[1] - a[1]).slice(0, top);
}

async function once(work) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(work, 'data-'));
  const out = openSync(path.join(work, 'server.log'), 'a');
  const diagOut = path.join(work, 'diag.json');
  const flags = [...nodeFlags];
  if (diag) {
    writeFileSync(path.join(work, 'diag.mjs'), DIAG_PRELOAD);
    flags.push('--import', pathToFileURL(path.join(work, 'diag.mjs')).href);
  }
  const child = spawn(process.execPath, [...flags, script], {
    cwd: work, // a .env in the repository does not change what is measured
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), MEDIA_ROOT: path.join(repo, 'media'), DATA_DIR: dataDir, DIAG_OUT: diagOut },
    stdio: ['ignore', out, out],
  });
  try {
    const started = Date.now();
    await waitUntilServing(base, child);
    const startMs = Date.now() - started;
    await warm(base);
    await sleep(waitMs);
    const status = statusFields(child.pid);
    const rollup = readFileSync(`/proc/${child.pid}/smaps_rollup`, 'utf8');
    const pss = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? NaN);
    let extra = null;
    if (diag) {
      child.kill('SIGUSR2');
      await sleep(500);
      extra = { ...JSON.parse(readFileSync(diagOut, 'utf8')), mappings: biggestMappings(child.pid) };
    }
    return { ...status, pss, startMs, extra };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mib = (kib) => (kib / 1024).toFixed(1);

const work = mkdtempSync(path.join(tmpdir(), 'idle-rss-'));
try {
  const results = [];
  for (let i = 0; i < runs; i += 1) {
    const r = await once(work);
    results.push(r);
    console.log(`run ${i + 1}: rss ${mib(r.rss)} MiB (anon ${mib(r.anon)}, file ${mib(r.file)}), pss ${mib(r.pss)}, threads ${r.threads}, ready in ${r.startMs} ms`);
    if (r.extra) {
      const { memoryUsage: m, heapSpaces, cjsModules, cjsByPackage, mappings } = r.extra;
      console.log('  memoryUsage MiB:', Object.fromEntries(Object.entries(m).map(([k, v]) => [k, +(v / 1048576).toFixed(1)])));
      console.log('  heap spaces (size/used MiB):', heapSpaces.map((s) => `${s.space_name} ${mib(s.space_size / 1024)}/${mib(s.space_used_size / 1024)}`).join(', '));
      console.log(`  CommonJS modules: ${cjsModules}; by package:`, Object.entries(cjsByPackage).sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${k} ${v}`).join(', '));
      console.log('  biggest mappings (Rss MiB):', mappings.map(([k, v]) => `${k} ${mib(v)}`).join('; '));
    }
  }
  const pick = (key) => median(results.map((r) => r[key]));
  console.log(`median of ${runs}: rss ${mib(pick('rss'))} MiB (anon ${mib(pick('anon'))}, file ${mib(pick('file'))}), pss ${mib(pick('pss'))}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
