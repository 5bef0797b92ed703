// S4 load generator: many slow viewers. Each client GETs the whole file over
// its own connection (agent keepAlive false, as browsers' media elements
// mostly do) and reads it at a fixed rate by pausing the response whenever it
// is ahead of schedule. The server then has to hold hundreds of half-sent
// bodies: what matters is whether it respects backpressure (memory stays
// flat) or buffers the file (RSS grows with clients x time). The orchestrator
// samples the server's RSS while this runs.
//
// Usage: node bench/s4-client.mjs <url> <clients> <bytesPerSecond> <seconds>
// Prints one JSON line with statuses, errors, bytes and per-client rates.

import http from 'node:http';
import { performance } from 'node:perf_hooks';

const [url, clientsArg = '200', rateArg = '200000', secondsArg = '8'] = process.argv.slice(2);
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
const perClient = []; // { bytes, startedAt }
const requests = [];
let stopped = false;
let completed = 0;

function startClient(index) {
  const state = { bytes: 0, startedAt: null };
  perClient[index] = state;
  const req = http.get(url, { agent, headers: { 'User-Agent': 'bench-s4' } }, (res) => {
    statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    state.startedAt = performance.now();
    res.on('data', (chunk) => {
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

const started = performance.now();
for (let i = 0; i < clients; i++) startClient(i);

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
  };
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}, durationMs);
