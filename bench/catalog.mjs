#!/usr/bin/env node
// `node bench/run.mjs catalog` (or `node bench/catalog.mjs`): the catalog's
// numbers, by hand, on this machine. Builds the service, makes a library of
// BENCH_CATALOG_ITEMS (100,000) empty files and one of 100, and measures:
//   - the first scan of the large library (from the service's own log line),
//   - listing latency p50/p90 for a page of 50 (plain, q=, sort=size&order=desc,
//     sort=duration, sort=name), large vs small, and the ratio,
//   - the service's RSS with the large catalog vs the small one,
//   - S3-scenario req/s (random 4 KiB ranges, 64 connections) while the
//     first scan of the large library runs, then while its background probes
//     run, vs the small library's service with nothing left to do.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, openSync, closeSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { freePort, waitUntilReady } from './lib/http.mjs';
import { rssKiB } from './lib/rss.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH_DIR, '..');
const WORK = path.join(BENCH_DIR, '.work', 'catalog');
const LARGE = Number(process.env.BENCH_CATALOG_ITEMS ?? 100_000);
const SMALL = 100;
const REQUESTS = Number(process.env.BENCH_CATALOG_REQUESTS ?? 300);
const RANGE_FILE = { name: 'range.mp4', size: 16 * 1024 * 1024 };
const children = new Set();

const log = (line) => process.stdout.write(`${line}\n`);

/** `count` empty media files in folders of 1,000 (as libraries are laid out), plus the range file. */
function makeLibrary(root, count) {
  if (existsSync(path.join(root, '.complete'))) return;
  rmSync(root, { recursive: true, force: true });
  for (let i = 0; i < count; i++) {
    const folder = path.join(root, `shelf-${String(Math.floor(i / 1000)).padStart(3, '0')}`);
    if (i % 1000 === 0) mkdirSync(folder, { recursive: true });
    closeSync(openSync(path.join(folder, `item-${String(i).padStart(6, '0')}.${i % 5 === 0 ? 'mp3' : 'mp4'}`), 'w'));
  }
  const bytes = Buffer.alloc(RANGE_FILE.size, 7);
  writeFileSync(path.join(root, RANGE_FILE.name), bytes);
  writeFileSync(path.join(root, '.complete'), '');
}

async function startService(name, mediaRoot, dataDir) {
  const port = await freePort();
  const output = [];
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
    cwd: WORK,
    env: { ...process.env, MEDIA_ROOT: mediaRoot, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.name = name;
  child.exitInfo = null;
  child.on('exit', (code, signal) => (child.exitInfo = { code, signal }));
  child.stdout.setEncoding('utf8').on('data', (chunk) => output.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => output.push(chunk));
  children.add(child);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${base}/health`, child, 60_000);
  return { child, base, output: () => output.join(''), stop: () => stop(child) };
}

async function stop(child) {
  if (child.exitInfo !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
  children.delete(child);
}

function getJson(agent, url) {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) : reject(new Error(`HTTP ${res.statusCode} for ${url}`))));
    }).on('error', reject);
  });
}

async function waitForFirstScan(service, expectedItems) {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const match = /First scan: (\d+) items, (\d+) sidecar files in (\d+) ms/.exec(service.output());
    if (match !== null) return { items: Number(match[1]), ms: Number(match[3]) };
    if (Date.now() > deadline) throw new Error(`no first scan of ${expectedItems} items in the log`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** p50/p90 in ms of REQUESTS sequential requests over one kept-alive connection, after a warm-up. */
async function latency(base, query) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = `${base}/api/videos?${query}`;
  const first = performance.now();
  await getJson(agent, url);
  const firstMs = performance.now() - first;
  for (let i = 0; i < 20; i++) await getJson(agent, url);
  const times = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    await getJson(agent, url);
    times.push(performance.now() - started);
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p90: percentile(times, 90), firstMs };
}

/** media_probe_runs_total summed over results, from the service's /metrics. */
async function probeRuns(base) {
  const text = await (await fetch(`${base}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('media_probe_runs_total'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

function rangeLoad(base, seconds) {
  const url = `${base}/api/videos/${RANGE_FILE.name}/stream`;
  const out = execFileSync(process.execPath, [path.join(BENCH_DIR, 'range-client-autocannon.mjs'), url, '64', String(seconds), String(RANGE_FILE.size), '4096'], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(out.trim().split('\n').pop());
  return { reqPerSec: result.requests / (result.duration_us / 1e6), non2xx: result.non2xx };
}

async function main() {
  mkdirSync(WORK, { recursive: true });
  log('building the service (dist/)');
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  const large = path.join(WORK, `media-${LARGE}`);
  const small = path.join(WORK, `media-${SMALL}`);
  let t = performance.now();
  makeLibrary(large, LARGE);
  makeLibrary(small, SMALL);
  log(`libraries ready (${Math.round(performance.now() - t)} ms): ${LARGE} and ${SMALL} items`);

  // 0. The small library's service, idle once scanned and probed: the baseline.
  const dataSmall = path.join(WORK, 'data-small');
  rmSync(dataSmall, { recursive: true, force: true });
  const svcSmall = await startService('small', small, dataSmall);
  await waitForFirstScan(svcSmall, SMALL);
  // The baseline: the same load on a service with nothing left to scan or probe.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const idle = rangeLoad(svcSmall.base, Number(process.env.BENCH_CATALOG_LOAD_SECONDS ?? 5));
  log(`S3 baseline, ${SMALL}-item service, probes done: ${idle.reqPerSec.toFixed(0)} req/s`);

  // 1. The first scan of the large library, with S3-scenario load while it runs.
  const dataLarge = path.join(WORK, 'data-large');
  rmSync(dataLarge, { recursive: true, force: true });
  const svcLarge = await startService('large', large, dataLarge);
  const loadSeconds = Number(process.env.BENCH_CATALOG_LOAD_SECONDS ?? 5);
  const duringScan = rangeLoad(svcLarge.base, loadSeconds);
  const scan = await waitForFirstScan(svcLarge, LARGE);
  log(`first scan: ${scan.items} items in ${scan.ms} ms`);
  // After the scan the background probes of 100,000 new items run (they
  // yield to requests); the probe runs counted over the load show they did.
  const probesBefore = await probeRuns(svcLarge.base);
  const duringProbes = rangeLoad(svcLarge.base, loadSeconds);
  const probesDuring = (await probeRuns(svcLarge.base)) - probesBefore;
  log(`S3 scenario (4 KiB ranges, 64 conn, ${loadSeconds} s): ${duringScan.reqPerSec.toFixed(0)} req/s during the first scan (scan ${scan.ms} ms of the ${loadSeconds * 1000} ms run), ${duringProbes.reqPerSec.toFixed(0)} req/s during the background probes that follow (${probesDuring} probe runs in the load); non-2xx ${duringScan.non2xx}/${duringProbes.non2xx}`);
  log(`ratio to the baseline: ${(duringScan.reqPerSec / idle.reqPerSec).toFixed(2)} during the scan, ${(duringProbes.reqPerSec / idle.reqPerSec).toFixed(2)} during the probes`);

  // 2. Listing latency, large vs small.
  const queries = ['', 'q=item-0004', 'sort=size&order=desc', 'sort=duration', 'sort=name&order=desc', 'type=audio&sort=modifiedAt', 'offset=99000'];
  log(`listing, page of 50, ${REQUESTS} sequential requests each (ms):`);
  log(`${'query'.padEnd(28)} ${'large p50'.padStart(9)} ${'p90'.padStart(7)} ${'small p50'.padStart(9)} ${'p90'.padStart(7)} ${'ratio p50'.padStart(9)} ${'1st large'.padStart(9)}`);
  for (const query of queries) {
    const a = await latency(svcLarge.base, `${query}${query ? '&' : ''}limit=50`);
    const b = await latency(svcSmall.base, `${query}${query ? '&' : ''}limit=50`);
    log(`${(query || '(plain)').padEnd(28)} ${a.p50.toFixed(2).padStart(9)} ${a.p90.toFixed(2).padStart(7)} ${b.p50.toFixed(2).padStart(9)} ${b.p90.toFixed(2).padStart(7)} ${(a.p50 / b.p50).toFixed(2).padStart(9)} ${a.firstMs.toFixed(1).padStart(9)}`);
  }

  // 3. Memory: RSS with the large catalog (every sort built) vs the small one.
  const rssLarge = rssKiB(svcLarge.child.pid);
  const rssSmall = rssKiB(svcSmall.child.pid);
  log(`RSS: ${(rssLarge / 1024).toFixed(0)} MiB with ${LARGE} items, ${(rssSmall / 1024).toFixed(0)} MiB with ${SMALL}: the catalog costs about ${((rssLarge - rssSmall) / 1024).toFixed(0)} MiB (${(((rssLarge - rssSmall) * 1024) / LARGE).toFixed(0)} bytes an item)`);
  await svcLarge.stop();
  await svcSmall.stop();
}

const cleanup = () => {
  for (const child of children) child.kill('SIGKILL');
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});
main().then(
  () => cleanup(),
  (error) => {
    cleanup();
    console.error(error);
    process.exit(1);
  },
);
