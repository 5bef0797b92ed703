// Soak: `npm run soak` (by hand, not in CI). SOAK_MINUTES (default 10) of mixed
// load on loopback against the built service, sampling its RSS, open
// descriptors and /metrics. Exits non-zero on any 5xx, descriptors not back to
// their start, RSS growth past the bound, or metrics that disagree with the
// counts of this load generator.

import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, request, waitUntilReady } from './lib/http.mjs';
import { MiB, ensureFile } from './lib/media.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'bench', '.work', 'soak');
const MEDIA = path.join(WORK, 'media');
const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 16);
// RSS bound: the floor of RSS (its lowest sample in a window, after the
// garbage collector has run) may rise by at most 32 MiB from the second
// quarter of the run to the last. Peaks move with GC timing and with the
// megabytes of buffers in flight (16 clients, 1 MiB ranges), so they say
// little; a leak raises the floor steadily: even 100 bytes per request at the
// ~1000 requests per second of this load is 6 MiB a minute, past the bound
// in a 10-minute soak, while the floor's noise is a few MiB.
const RSS_FLOOR_SLACK_KIB = 32 * 1024;
const FILES = { 'big.mp4': 64 * MiB, 'small.webm': 1 * MiB };

const log = (line) => console.log(`[soak] ${line}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const fdCount = (pid) => readdirSync(`/proc/${pid}/fd`).length;

const counts = { requests: 0, stream: 0, streamBytes: 0, aborted: 0, abortedReceived: 0, malformedHttp: 0, byStatus: {}, scrapes: 0 };
const failures = [];
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function get(port, pathname, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method, headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A whole download cut after `after` body bytes; the bytes received. */
function aborted(port, pathname, after) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => {
        bytes += chunk.length;
        if (bytes >= after) {
          req.destroy();
          resolve(bytes);
        }
      });
    });
    req.on('error', (error) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.end();
  });
}

/** Bytes no HTTP parser accepts: Node answers 400 itself and no request reaches the app. */
function garbage(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /\x00 HTTP/9.9\r\n\r\n'));
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

function record(status, expected, what) {
  counts.requests++;
  counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
  if (status >= 500) failures.push(`5xx: ${status} on ${what}`);
  else if (status !== expected && failures.length < 20) failures.push(`${what}: ${status}, expected ${expected}`);
}

async function oneRequest(port, etag) {
  const stream = (name) => `/api/videos/${name}/stream`;
  const pick = Math.random();
  if (pick < 0.35) {
    const start = Math.floor(Math.random() * (FILES['big.mp4'] - 4096));
    const res = await get(port, stream('big.mp4'), { headers: { Range: `bytes=${start}-${start + 4095}` } });
    record(res.status, 206, '4 KiB range');
    counts.stream++;
    counts.streamBytes += res.bytes;
  } else if (pick < 0.5) {
    const start = Math.floor(Math.random() * (FILES['big.mp4'] - MiB));
    const res = await get(port, stream('big.mp4'), { headers: { Range: `bytes=${start}-${start + MiB - 1}` } });
    record(res.status, 206, '1 MiB range');
    counts.stream++;
    counts.streamBytes += res.bytes;
  } else if (pick < 0.6) {
    const res = await get(port, stream('small.webm'));
    record(res.status, 200, 'whole file');
    counts.stream++;
    counts.streamBytes += res.bytes;
  } else if (pick < 0.68) {
    record((await get(port, stream('big.mp4'), { method: 'HEAD' })).status, 200, 'HEAD');
    counts.stream++;
  } else if (pick < 0.78) {
    record((await get(port, stream('small.webm'), { headers: { 'If-None-Match': etag } })).status, 304, 'If-None-Match');
    counts.stream++;
  } else if (pick < 0.88) {
    record((await get(port, '/api/videos?limit=10')).status, 200, 'listing');
  } else if (pick < 0.93) {
    // Express cannot decode the ID, so no route takes it: counted as `unmatched`.
    record((await get(port, '/api/videos/%zz/stream')).status, 400, 'malformed ID');
  } else if (pick < 0.97) {
    counts.abortedReceived += await aborted(port, stream('big.mp4'), 256 * 1024);
    counts.requests++;
    counts.aborted++;
    counts.stream++;
  } else {
    await garbage(port);
    counts.malformedHttp++;
  }
}

function sumOf(text, name, filter = () => true) {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || !filter(line)) continue;
    if (line[name.length] !== '{' && line[name.length] !== ' ') continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

async function scrape(port) {
  const res = await request(`http://127.0.0.1:${port}/metrics`);
  counts.scrapes++;
  return res.body.toString('utf8');
}

async function main() {
  if (process.env.SOAK_BUILD !== '0') execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  mkdirSync(MEDIA, { recursive: true });
  for (const [name, size] of Object.entries(FILES)) await ensureFile(path.join(MEDIA, name), size);
  const port = await freePort();
  const out = openSync(path.join(WORK, 'service.log'), 'w');
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', MEDIA_ROOT: MEDIA, DATA_DIR: path.join(WORK, 'data'), NODE_ENV: 'production' };
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], { cwd: WORK, env, stdio: ['ignore', out, out] });
  const proc = { name: 'service', get exitInfo() { return child.exitCode === null && child.signalCode === null ? null : { code: child.exitCode }; } };
  process.on('exit', () => child.kill('SIGKILL'));
  await waitUntilReady(`http://127.0.0.1:${port}/api/videos/small.webm/stream`, proc);
  const etag = (await get(port, '/api/videos/small.webm/stream', { method: 'HEAD' })).headers.etag;
  await sleep(500);
  agent.destroy();
  await sleep(6000); // keep-alive and the open-file cache let go of what the first request held
  const fdsAtStart = fdCount(child.pid);
  // Counts before the load (the readiness polls, the HEAD above): the checks compare what the load added.
  const baseline = await scrape(port);
  const samples = [];
  const end = Date.now() + minutes * 60_000;
  log(`${minutes} min, ${CONCURRENCY} clients, pid ${child.pid}, ${fdsAtStart} descriptors at start`);
  const sampler = setInterval(() => {
    samples.push({ at: Date.now(), rss: rssKiB(child.pid), fds: fdCount(child.pid) });
    const last = samples[samples.length - 1];
    if (samples.length % 6 === 0) log(`${counts.requests} requests, RSS ${(last.rss / 1024).toFixed(1)} MiB, ${last.fds} descriptors`);
  }, 5000);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end && child.exitCode === null) {
        try {
          await oneRequest(port, etag);
        } catch (error) {
          failures.push(`client error: ${error.message}`);
        }
      }
    }),
  );
  clearInterval(sampler);
  agent.destroy();
  await sleep(6000);
  const fdsAtEnd = fdCount(child.pid);
  const text = await scrape(port);
  const added = (name, filter) => sumOf(text, name, filter) - sumOf(baseline, name, filter);
  const served = added('media_http_requests_total', (line) => !line.includes('route="/metrics"'));
  const streamServed = added('media_http_requests_total', (line) => line.includes('route="/api/videos/:id/stream"'));
  const fiveXx = sumOf(text, 'media_http_requests_total', (line) => /status="5\d\d"/.test(line));
  const bytes = added('media_stream_bytes_sent_total');
  const active = sumOf(text, 'media_streams_active');
  const abortedMetric = added('media_stream_aborted_total');
  const quarter = (i) => samples.slice(Math.floor((samples.length * i) / 4), Math.floor((samples.length * (i + 1)) / 4));
  const floor = (window) => Math.min(...window.map((sample) => sample.rss));
  const warm = { rss: floor(quarter(1)) };
  const last = { rss: floor(quarter(3)) };
  const growth = last.rss - warm.rss;
  const check = (ok, what) => (ok ? undefined : failures.push(what));
  check(child.exitCode === null, 'the service exited during the soak');
  check(fdsAtEnd <= fdsAtStart, `descriptors ${fdsAtStart} at start, ${fdsAtEnd} at the end`);
  check(growth <= RSS_FLOOR_SLACK_KIB, `the RSS floor rose ${growth} KiB from the second quarter to the last (bound ${RSS_FLOOR_SLACK_KIB} KiB)`);
  check(served === counts.requests, `metrics count ${served} requests, the load generator ${counts.requests}`);
  check(streamServed === counts.stream, `metrics count ${streamServed} stream requests, the load generator ${counts.stream}`);
  check(fiveXx === 0, `${fiveXx} 5xx in the metrics`);
  check(active === 0, `media_streams_active is ${active} with no load`);
  check(abortedMetric === counts.aborted, `media_stream_aborted_total ${abortedMetric}, aborted downloads ${counts.aborted}`);
  const abortedBytes = bytes - counts.streamBytes;
  check(abortedBytes >= counts.abortedReceived && abortedBytes <= counts.aborted * FILES['big.mp4'], `stream bytes ${bytes}: ${counts.streamBytes} complete + ${abortedBytes} of aborts that received ${counts.abortedReceived}`);
  child.kill('SIGTERM');
  const exit = await new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  check(exit === 0, `exit code ${exit} after SIGTERM`);
  console.log(JSON.stringify({ minutes, requests: counts.requests, perSecond: Math.round(counts.requests / (minutes * 60)), byStatus: counts.byStatus, aborted: counts.aborted, malformedHttp: counts.malformedHttp, streamBytes: bytes, rssKiB: { first: samples[0]?.rss, floorSecondQuarter: warm.rss, floorLastQuarter: last.rss, max: Math.max(...samples.map((s) => s.rss)) }, fds: { start: fdsAtStart, maxDuringLoad: Math.max(...samples.map((s) => s.fds)), end: fdsAtEnd }, failures }, null, 2));
  process.exitCode = failures.length === 0 ? 0 : 1;
  log(failures.length === 0 ? 'PASS' : `FAIL (${failures.length})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
