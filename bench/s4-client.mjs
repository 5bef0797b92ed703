// S4 load generator: many slow viewers. Each client GETs the whole file over
// its own connection (agent keepAlive false, as browsers' media elements
// mostly do) and reads it at a fixed rate by pausing the response whenever it
// is ahead of schedule. The server then has to hold hundreds of half-sent
// bodies: what matters is whether it respects backpressure (memory stays
// flat) or buffers the file (RSS grows with clients x time). The orchestrator
// samples the server's RSS while this runs.
//
// It also times what those viewers feel: each client's first byte (the crowd
// arrives at once) and, with a probe URL, a 4 KiB range on a new connection
// every PROBE_GAP_MS, one at a time, from the moment every client has its
// first byte (or PROBE_START_MS at the latest) to the end: a seek or a new
// viewer while 200 streams are in flight. A probe answering anything but 206
// with exactly 4096 bytes counts as bad, not as a latency.
//
// Usage: node bench/s4-client.mjs <url> <clients> <bytesPerSecond> <seconds> [probeUrl probeFileSize]
// Prints one JSON line with statuses, errors, bytes, per-client rates, first
// bytes and probe latencies (milliseconds).

import http from 'node:http';
import { performance } from 'node:perf_hooks';

const [url, clientsArg = '200', rateArg = '200000', secondsArg = '8', probeUrl, probeSizeArg] = process.argv.slice(2);
if (!url) {
  console.error('usage: s4-client.mjs <url> <clients> <bytesPerSecond> <seconds>');
  process.exit(2);
}
const clients = Number(clientsArg);
const rate = Number(rateArg); // bytes per second per client
const durationMs = Number(secondsArg) * 1000;

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const statuses = {};
const errors = {};
const perClient = []; // { bytes, startedAt, firstByteMs }
const requests = [];
let stopped = false;
let completed = 0;
let firstBytes = 0;

function startClient(index) {
  const state = { bytes: 0, startedAt: null, firstByteMs: null };
  perClient[index] = state;
  const requestedAt = performance.now();
  const req = http.get(url, { agent, headers: { 'User-Agent': 'bench-s4' } }, (res) => {
    statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    state.startedAt = performance.now();
    res.on('data', (chunk) => {
      if (state.firstByteMs === null) {
        state.firstByteMs = performance.now() - requestedAt;
        if (++firstBytes === clients) startProbes();
      }
      state.bytes += chunk.length;
      // Ahead of the schedule `rate` bytes per second? Stop reading until we
      // are not: the kernel buffers fill and the server sees backpressure.
      const aheadMs = (state.bytes / rate) * 1000 - (performance.now() - state.startedAt);
      if (aheadMs > 1) {
        res.pause();
        setTimeout(() => res.resume(), aheadMs);
      }
    });
    res.on('end', () => {
      completed++;
    });
    res.on('error', (error) => {
      if (!stopped) errors[error.code ?? error.message] = (errors[error.code ?? error.message] ?? 0) + 1;
    });
  });
  req.on('error', (error) => {
    if (!stopped) errors[error.code ?? error.message] = (errors[error.code ?? error.message] ?? 0) + 1;
  });
  requests.push(req);
}

/** p-th percentile (0..100) of sorted values, nearest rank; null when empty. */
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function distribution(values) {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? null };
}

const PROBE_BYTES = 4096;
const PROBE_GAP_MS = 20;
const PROBE_START_MS = 2000;
const probe = { latencies: [], bad: 0, errors: {} };
const probeAgent = new http.Agent({ keepAlive: false });

/** One 4 KiB range at a random offset; resolves when it has ended either way. */
function probeOnce(fileSize) {
  const start = Math.floor(Math.random() * (fileSize - PROBE_BYTES));
  const began = performance.now();
  return new Promise((resolve) => {
    const req = http.get(probeUrl, { agent: probeAgent, headers: { 'User-Agent': 'bench-s4-probe', Range: `bytes=${start}-${start + PROBE_BYTES - 1}` } }, (res) => {
      let length = 0;
      res.on('data', (chunk) => (length += chunk.length));
      res.on('end', () => {
        if (res.statusCode === 206 && length === PROBE_BYTES) probe.latencies.push(performance.now() - began);
        else probe.bad++;
        resolve();
      });
      res.on('error', () => resolve());
    });
    req.on('error', (error) => {
      if (!stopped) probe.errors[error.code ?? error.message] = (probe.errors[error.code ?? error.message] ?? 0) + 1;
      resolve();
    });
  });
}

let probing = false;
function startProbes() {
  if (!probeUrl || probing) return;
  probing = true;
  void probeLoop(Number(probeSizeArg));
}

async function probeLoop(fileSize) {
  while (!stopped) {
    await probeOnce(fileSize);
    await new Promise((resolve) => setTimeout(resolve, PROBE_GAP_MS));
  }
}

const started = performance.now();
for (let i = 0; i < clients; i++) startClient(i);
// A client that never gets its first byte must not keep the probes from starting.
setTimeout(startProbes, PROBE_START_MS).unref();

setTimeout(() => {
  stopped = true;
  const now = performance.now();
  for (const req of requests) req.destroy();
  const rates = perClient
    .filter((client) => client.startedAt !== null)
    .map((client) => client.bytes / ((now - client.startedAt) / 1000))
    .sort((a, b) => a - b);
  const result = {
    clients,
    targetRate: rate,
    seconds: (now - started) / 1000,
    statuses,
    errors,
    completed,
    bytes: perClient.reduce((sum, client) => sum + client.bytes, 0),
    // How well the server kept every viewer fed: the slowest and the median client.
    minClientRate: rates[0] ?? 0,
    medianClientRate: rates[Math.floor(rates.length / 2)] ?? 0,
    clientsServed: rates.length,
    firstByteMs: distribution(perClient.map((client) => client.firstByteMs)),
    probeMs: probeUrl ? { ...distribution(probe.latencies), bad: probe.bad, errors: probe.errors } : null,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}, durationMs);
