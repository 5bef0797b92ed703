#!/usr/bin/env node
// `npm run bench`: throughput and memory of the media service next to three
// references serving the same files on the same URL shape, on this machine,
// over loopback only. Run by hand, never in CI (it takes minutes and its
// numbers only mean something on a quiet machine). See bench/README.md.
//
// Steps: make the media, build the service, start every server on its own free
// 127.0.0.1 port (pinned to one CPU), check each answers a Range correctly,
// warm up, then run each scenario for each server BENCH_RUNS times from a load
// generator pinned to the other CPU, and print the medians and ratios.
// Everything started is stopped at the end, on Ctrl-C and on errors.

import { once } from 'node:events';
import fs from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { checkRange, freePort, waitUntilReady } from './lib/http.mjs';
import { MiB, ensureFile, warmPageCache } from './lib/media.mjs';
import { prepareNginx } from './lib/nginx.mjs';
import { BENCH_API_KEY, BENCH_SIGNING_KEY, signedQuery, writeLinkPool } from './lib/signed-links.mjs';
import {
  childCpuSeconds,
  findExecutable,
  installCleanupHandlers,
  isStopping,
  pinSelf,
  planPinning,
  reapStale,
  spawnTracked,
  stopAll,
  stopProcess,
} from './lib/procs.mjs';
import { childPids, cpuSecondsOf, machineBusySeconds, startRssSampler, totalRssKiB } from './lib/rss.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH_DIR, '..');
const WORK = path.join(BENCH_DIR, '.work');
const MEDIA = path.join(WORK, 'media');
const LOGS = path.join(WORK, 'logs');

const BIG = { name: 'big.mp4', size: 256 * MiB };
const MID = { name: 'mid.mp4', size: 16 * MiB };
const streamPath = (file) => `/api/videos/${encodeURIComponent(file.name)}/stream`;
/** The stream URL of `file` on `server`; service-signed needs a signed link on it. */
const streamUrl = (server, file) => `${server.base}${streamPath(file)}${server.signed ? `?${signedQuery(file.name, Math.floor(Date.now() / 1000) + 86_400)}` : ''}`;

// --- configuration --------------------------------------------------------------------

function envNumber(name, fallback, { min = 0, integer = false } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`${name}=${raw}: expected ${integer ? 'an integer' : 'a number'} >= ${min}`);
  }
  return value;
}

function envList(name, allowed) {
  const raw = process.env[name];
  if (!raw) return allowed;
  const list = raw.split(',').map((item) => item.trim()).filter(Boolean);
  const unknown = list.filter((item) => !allowed.includes(item));
  if (unknown.length > 0) throw new Error(`${name}: unknown ${unknown.join(', ')} (known: ${allowed.join(', ')})`);
  return allowed.filter((item) => list.includes(item)); // keep the canonical order
}

// service-signed: the service with ACCESS_MODE=signed, a signed URL on every request.
// service-quiet: the service with LOG_LEVEL=silent, to price the access log (compare with service).
const SERVER_NAMES = ['service', 'service-quiet', 'service-signed', 'express', 'raw-node', 'nginx'];
const SERVICE_NAMES = ['service', 'service-quiet', 'service-signed'];
// S5 runs after the others, on separate instances: see measureMultiCore().
const SCENARIO_NAMES = ['S1', 'S2', 'S3', 'S4', 'S5'];

const config = {
  runs: envNumber('BENCH_RUNS', 3, { min: 1, integer: true }),
  // Whole seconds: wrk accepts nothing else.
  duration: envNumber('BENCH_DURATION', 5, { min: 1, integer: true }),
  s4Duration: envNumber('BENCH_S4_DURATION', 8, { min: 1, integer: true }),
  warmup: envNumber('BENCH_WARMUP', 1, { min: 0, integer: true }),
  s4Clients: envNumber('BENCH_S4_CLIENTS', 200, { min: 1, integer: true }),
  s4Rate: envNumber('BENCH_S4_RATE', 200_000, { min: 1 }),
  servers: envList('BENCH_SERVERS', SERVER_NAMES),
  scenarios: envList('BENCH_SCENARIOS', SCENARIO_NAMES),
  loadgen: process.env.BENCH_LOADGEN || 'auto',
  build: process.env.BENCH_SKIP_BUILD !== '1',
};
if (!['auto', 'wrk', 'autocannon'].includes(config.loadgen)) {
  throw new Error(`BENCH_LOADGEN=${config.loadgen}: expected auto, wrk or autocannon`);
}

// --- small helpers ----------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message) => console.log(`[bench] ${message}`);

function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A log file the child writes to directly (no pipe for us to drain). */
function logFd(name) {
  return fs.openSync(path.join(LOGS, `${name}.log`), 'w');
}

function toolVersion(argv) {
  try {
    return execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n')[0];
  } catch (error) {
    return `${error.stdout ?? ''}${error.stderr ?? ''}`.trim().split('\n')[0] || null;
  }
}

// --- servers ----------------------------------------------------------------------------

/**
 * Starts one server. Each returns { name, proc, base, rssPids, log } where
 * rssPids() lists the pids whose RSS counts as the server's memory.
 */
async function startServer(name, pinning, nginxBinary, { workers = 1 } = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const label = workers > 1 ? `${name}-${workers}w` : name;
  const logFile = path.join(LOGS, `${label}.log`);
  const common = { pinning, cpu: pinning.serverCpu };
  const nodeEnv = { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', MEDIA_ROOT: MEDIA };
  if (workers > 1) nodeEnv.WEB_CONCURRENCY = String(workers);
  let proc;
  let rssPids;
  let extra = {};
  if (name === 'service-signed') {
    Object.assign(nodeEnv, { ACCESS_MODE: 'signed', SIGNING_KEYS: BENCH_SIGNING_KEY, API_KEYS: BENCH_API_KEY });
    extra = { signed: true, linkPools: Object.fromEntries([BIG, MID].map((file) => [file.name, writeLinkPool(WORK, file.name)])) };
  }
  if (name === 'service-quiet') nodeEnv.LOG_LEVEL = 'silent';
  if (SERVICE_NAMES.includes(name)) {
    // cwd is bench/.work so a developer's .env in the repo root cannot change
    // what is measured; settings such as STREAM_CHUNK_SIZE pass through the
    // environment instead.
    const fd = logFd(label);
    proc = spawnTracked(name, [process.execPath, path.join(ROOT, 'dist', 'main.js')], { ...common, cwd: WORK, env: nodeEnv, stdout: fd, stderr: fd });
    fs.closeSync(fd);
    // With WEB_CONCURRENCY, the cluster's primary and its workers.
    rssPids = () => (workers > 1 ? [proc.pid, ...childPids(proc.pid)] : [proc.pid]);
  } else if (name === 'express' || name === 'raw-node') {
    const script = path.join(BENCH_DIR, 'references', name === 'express' ? 'express-static.mjs' : 'raw-node.mjs');
    const fd = logFd(label);
    proc = spawnTracked(name, [process.execPath, script], { ...common, cwd: ROOT, env: nodeEnv, stdout: fd, stderr: fd });
    fs.closeSync(fd);
    rssPids = () => [proc.pid];
  } else if (name === 'nginx') {
    const prepared = await prepareNginx({ binary: nginxBinary, workDir: WORK, port, mediaRoot: MEDIA, workers });
    const fd = logFd(label);
    proc = spawnTracked(name, prepared.argv, { ...common, cwd: WORK, stdout: fd, stderr: fd });
    fs.closeSync(fd);
    // Master + worker: the master is small and constant, the worker does the work.
    rssPids = () => [proc.pid, ...childPids(proc.pid)];
    extra = { version: prepared.version, conf: prepared.conf, errorLog: prepared.errorLog };
  } else {
    throw new Error(`unknown server ${name}`);
  }
  const server = { name, label, workers, proc, base, port, rssPids, log: logFile, ...extra };
  await waitUntilReady(streamUrl(server, MID), proc);
  return server;
}

// --- load generators --------------------------------------------------------------------

/**
 * Runs one load generator to completion on the client CPU and returns its
 * stdout plus where the CPU time went during the run, as shares of one CPU:
 *   clientCpu  the generator; ~1.0 means the number may be the client's limit
 *   serverCpu  the server; ~1.0 means the server was the limit (what we want)
 *   otherCpu   everything else on the machine (approximate: also holds the
 *              kernel's network work not charged to a process); a high value
 *              means other work (tests, a browser) disturbed the measurement
 */
async function runClient(name, argv, pinning, timeoutMs, server) {
  const before = { client: childCpuSeconds(), server: cpuSecondsOf(server.rssPids()), self: process.cpuUsage(), busy: machineBusySeconds() };
  const started = performance.now();
  const proc = spawnTracked(name, argv, { pinning, cpu: pinning.clientCpu, cwd: ROOT, stdout: 'pipe', stderr: 'pipe' });
  let stdout = '';
  let stderr = '';
  proc.child.stdout.on('data', (data) => (stdout += data));
  proc.child.stderr.on('data', (data) => (stderr = (stderr + data).slice(-4000)));
  const closed = once(proc.child, 'close');
  const killer = setTimeout(() => void stopProcess(proc, 1000), timeoutMs);
  const exit = await proc.exited;
  await closed;
  clearTimeout(killer);
  const wall = (performance.now() - started) / 1000;
  const self = process.cpuUsage(before.self);
  const client = before.client === null ? null : (childCpuSeconds() - before.client) / wall;
  const serverCpu = (cpuSecondsOf(server.rssPids()) - before.server) / wall;
  const busy = before.busy === null ? null : (machineBusySeconds() - before.busy) / wall;
  const otherCpu = busy === null || client === null ? null : Math.max(0, busy - client - serverCpu - (self.user + self.system) / 1e6 / wall);
  if (exit.code !== 0) {
    throw new Error(`${name} failed (${JSON.stringify(exit)}): ${stderr.trim() || stdout.trim() || 'no output'}`);
  }
  return { stdout, stderr, cpu: { client, server: serverCpu, other: otherCpu } };
}

function sumValues(object) {
  return Object.values(object ?? {}).reduce((sum, value) => sum + (typeof value === 'number' ? value : 0), 0);
}

// --- scenarios --------------------------------------------------------------------------

// Shares of one CPU above which a measurement is flagged.
const CLIENT_BOUND = 0.9;
const BUSY_MACHINE = 0.25;

/** Rows of the final table: which scenario fills them, unit, and which way is better. */
const METRICS = [
  { key: 'S1', scenario: 'S1', label: 'S1 whole 256 MiB, 4 conn', unit: 'MB/s', better: 'higher' },
  { key: 'S2', scenario: 'S2', label: 'S2 rand 1 MiB ranges, 32 conn', unit: 'req/s', better: 'higher' },
  { key: 'S3', scenario: 'S3', label: 'S3 rand 4 KiB ranges, 64 conn', unit: 'req/s', better: 'higher' },
  { key: 'S4peak', scenario: 'S4', label: 'S4 peak RSS, 200 slow clients', unit: 'MiB', better: 'lower' },
  { key: 'S4idle', scenario: 'S4', label: 'S4 idle RSS before', unit: 'MiB', better: 'lower' },
  { key: 'S4fb50', scenario: 'S4', label: 'S4 first byte p50, 200 at once', unit: 'ms', better: 'lower' },
  { key: 'S4fb90', scenario: 'S4', label: 'S4 first byte p90', unit: 'ms', better: 'lower' },
  { key: 'S4fbMax', scenario: 'S4', label: 'S4 first byte max', unit: 'ms', better: 'lower' },
  { key: 'S4pr50', scenario: 'S4', label: 'S4 4 KiB probe p50, new conn', unit: 'ms', better: 'lower' },
  { key: 'S4pr90', scenario: 'S4', label: 'S4 4 KiB probe p90', unit: 'ms', better: 'lower' },
  { key: 'S4pr99', scenario: 'S4', label: 'S4 4 KiB probe p99', unit: 'ms', better: 'lower' },
  { key: 'S4prMax', scenario: 'S4', label: 'S4 4 KiB probe max', unit: 'ms', better: 'lower' },
  { key: 'S5', scenario: 'S5', label: 'S5 = S3, 2 workers, unpinned', unit: 'req/s', better: 'higher' },
  { key: 'idleRss', scenario: 'idle', label: 'idle RSS after warm-up', unit: 'MiB', better: 'lower' },
];

/** Whether a metric's row is measured in this run: idle RSS comes with the warm-up. */
const shown = (metric) => (metric.scenario === 'idle' ? config.warmup > 0 : config.scenarios.includes(metric.scenario));

// Idle RSS after warm-up: the median of IDLE_SAMPLES reads, IDLE_SETTLE_MS
// after the last request, so lazily built state and the JIT's code are in it
// and the load's transient buffers (freed, not yet returned) mostly are not.
const IDLE_SETTLE_MS = 2000;
const IDLE_SAMPLES = 5;

async function measureIdleRss(servers) {
  await sleep(IDLE_SETTLE_MS);
  const reads = new Map(servers.map((server) => [server.name, []]));
  for (let i = 0; i < IDLE_SAMPLES; i++) {
    for (const server of servers) reads.get(server.name).push(totalRssKiB(server.rssPids()));
    await sleep(200);
  }
  return servers.map((server) => {
    const kib = median(reads.get(server.name));
    return { run: 0, scenario: 'idle', server: server.name, metrics: { idleRss: kib === null ? null : kib / 1024 } };
  });
}

/** S1: MB/s (10^6 bytes per second) of whole-file GETs over 4 keep-alive connections. */
async function measureS1(server, ctx, seconds = config.duration) {
  const url = streamUrl(server, BIG);
  const { stdout, cpu } = await runClient('s1-client', [process.execPath, path.join(BENCH_DIR, 's1-client.mjs'), url, '4', String(seconds)], ctx.pinning, (seconds + 30) * 1000, server);
  const result = JSON.parse(stdout.trim().split('\n').pop());
  const bad = sumValues(Object.fromEntries(Object.entries(result.statuses).filter(([status]) => status !== '200')));
  return {
    metrics: { S1: result.bytes / result.seconds / 1e6 },
    unexpectedStatus: bad,
    socketErrors: sumValues(result.errors),
    cpu,
    detail: result,
  };
}

/** S2/S3: req/s of random single ranges of `length` bytes inside `file`. */
async function measureRanges(server, ctx, key, file, length, connections, seconds = config.duration, threads = 1) {
  const url = server.base + streamPath(file);
  // service-signed: each request takes the next of a pool of signed links.
  const links = server.linkPools?.[file.name] === undefined ? [] : [server.linkPools[file.name]];
  let result;
  let cpu;
  if (ctx.wrk) {
    const argv = [ctx.wrk, `-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', path.join(BENCH_DIR, 'range.lua'), url, '--', String(file.size), String(length), ...links];
    const out = await runClient('wrk', argv, ctx.pinning, (seconds + 30) * 1000, server);
    const line = out.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
    if (!line) throw new Error(`wrk printed no BENCH_RESULT line:\n${out.stdout}\n${out.stderr}`);
    result = JSON.parse(line.slice('BENCH_RESULT '.length));
    cpu = out.cpu;
  } else {
    const argv = [process.execPath, path.join(BENCH_DIR, 'range-client-autocannon.mjs'), url, String(connections), String(seconds), String(file.size), String(length), ...links];
    const out = await runClient('autocannon', argv, ctx.pinning, (seconds + 30) * 1000, server);
    result = JSON.parse(out.stdout.trim().split('\n').pop());
    cpu = out.cpu;
  }
  const { status, ...socket } = result.errors;
  const warnings = [];
  // wrk cannot see statuses without copying every body into Lua; a server that
  // ignored Range and sent 200 + whole file shows up as far too many bytes per
  // response instead (headers are a few hundred bytes).
  // The bytes count includes the bodies still in flight when time ran out (up
  // to one per connection), hence the bound.
  const bytesPerResponse = result.requests > 0 ? result.bytes / result.requests : 0;
  if (result.requests > 0 && result.bytes > (result.requests + connections) * (length + 4096)) {
    warnings.push(`${Math.round(bytesPerResponse)} bytes/response for ${length}-byte ranges: Range ignored?`);
  }
  if (result.statuses) {
    const not206 = sumValues(Object.fromEntries(Object.entries(result.statuses).filter(([code]) => code !== '206')));
    if (not206 > 0) warnings.push(`${not206} responses were not 206: ${JSON.stringify(result.statuses)}`);
  }
  return {
    metrics: { [key]: result.requests / (result.duration_us / 1e6) },
    unexpectedStatus: status,
    socketErrors: sumValues(socket),
    cpu,
    warnings,
    detail: { ...result, bytesPerResponse },
  };
}

/** S4: many slow whole-file readers; the server's idle and peak RSS. */
async function measureS4(server, ctx) {
  // Let the previous scenario's connections and buffers go before "idle".
  await sleep(1000);
  const idleKiB = totalRssKiB(server.rssPids());
  const sampler = startRssSampler(server.rssPids, 100);
  const url = streamUrl(server, BIG);
  let out;
  let rss;
  try {
    out = await runClient(
      's4-client',
      [process.execPath, path.join(BENCH_DIR, 's4-client.mjs'), url, String(config.s4Clients), String(config.s4Rate), String(config.s4Duration), url, String(BIG.size)],
      ctx.pinning,
      (config.s4Duration + 30) * 1000,
      server,
    );
  } finally {
    rss = sampler.stop();
  }
  const result = JSON.parse(out.stdout.trim().split('\n').pop());
  const bad = sumValues(Object.fromEntries(Object.entries(result.statuses).filter(([status]) => status !== '200')));
  const warnings = [];
  if (result.clientsServed < config.s4Clients) warnings.push(`only ${result.clientsServed}/${config.s4Clients} clients got a response`);
  if (result.probeMs.bad > 0) warnings.push(`${result.probeMs.bad} probes were not 206 with 4096 bytes`);
  if (result.minClientRate < config.s4Rate * 0.8) {
    warnings.push(`slowest client got ${(result.minClientRate / 1000).toFixed(0)} KB/s of ${(config.s4Rate / 1000).toFixed(0)} KB/s`);
  }
  return {
    metrics: {
      S4peak: rss.peakKiB === null ? null : rss.peakKiB / 1024,
      S4idle: idleKiB === null ? null : idleKiB / 1024,
      S4fb50: result.firstByteMs.p50,
      S4fb90: result.firstByteMs.p90,
      S4fbMax: result.firstByteMs.max,
      S4pr50: result.probeMs.p50,
      S4pr90: result.probeMs.p90,
      S4pr99: result.probeMs.p99,
      S4prMax: result.probeMs.max,
    },
    unexpectedStatus: bad,
    socketErrors: sumValues(result.errors),
    cpu: out.cpu,
    warnings,
    detail: { ...result, rssSamples: rss.samples, rssEndMiB: rss.lastKiB === null ? null : rss.lastKiB / 1024 },
  };
}

/**
 * S5: S3's load against two-worker instances (the service with
 * WEB_CONCURRENCY=2, nginx with worker_processes 2), started for this phase
 * only, nothing pinned: servers and wrk (two threads) share both CPUs, as
 * they would on a real 2-core host. Only the service and nginx take part.
 */
async function measureMultiCore(names, pinning, nginxBinary, wrk, measurements, failures) {
  // Children inherit the orchestrator's own pinning (the client CPU), so
  // "unpinned" has to be said explicitly: every CPU we were given.
  const unpinned = pinning.enabled ? { ...pinning, serverCpu: pinning.allCpus, clientCpu: pinning.allCpus } : pinning;
  const ctx = { pinning: unpinned, wrk };
  const servers = [];
  for (const name of names.filter((n) => n === 'service' || n === 'nginx')) {
    try {
      servers.push(await startServer(name, unpinned, nginxBinary, { workers: 2 }));
    } catch (error) {
      failures.push({ server: name, stage: 'S5 start', message: error.message });
      log(`ERROR ${name} with 2 workers did not start: ${error.message}`);
    }
  }
  for (const server of servers) {
    log(`${server.label} ready on ${server.base} (pid ${server.proc.pid})`);
    if (config.warmup > 0) await measureRanges(server, ctx, 'S5', MID, 4096, 64, config.warmup, 2).catch(() => undefined);
  }
  for (let run = 1; run <= config.runs; run++) {
    for (const server of run % 2 === 1 ? servers : [...servers].reverse()) {
      await sleep(300);
      try {
        const m = await measureRanges(server, ctx, 'S5', MID, 4096, 64, config.duration, 2);
        measurements.push({ run, scenario: 'S5', server: server.name, ...m });
        log(`run ${run}/${config.runs} S5 ${server.label.padEnd(11)} S5=${formatValue(m.metrics.S5, 'req/s')}`);
      } catch (error) {
        measurements.push({ run, scenario: 'S5', server: server.name, error: error.message });
        log(`run ${run}/${config.runs} S5 ${server.label}: ERROR ${error.message}`);
      }
    }
  }
  for (const server of servers) await stopProcess(server.proc, 3000);
}

const SCENARIOS = {
  S1: (server, ctx) => measureS1(server, ctx),
  S2: (server, ctx) => measureRanges(server, ctx, 'S2', BIG, MiB, 32),
  S3: (server, ctx) => measureRanges(server, ctx, 'S3', MID, 4096, 64),
  S4: (server, ctx) => measureS4(server, ctx),
};

// --- report -----------------------------------------------------------------------------

function formatValue(value, unit) {
  if (value === null || value === undefined) return '-';
  if (unit === 'MiB' || (unit === 'ms' && value < 100)) return value.toFixed(1);
  return value >= 100 ? Math.round(value).toString() : value.toFixed(1);
}

function renderTable(summary, servers) {
  const references = servers.filter((name) => name !== 'service');
  const withService = servers.includes('service');
  const header = ['metric', 'unit', ...servers, ...(withService ? references.map((ref) => `service/${ref}`) : [])];
  const rows = [];
  for (const metric of METRICS) {
    if (!shown(metric)) continue;
    const medians = summary[metric.key];
    // "!" marks a median some of whose runs had wrong statuses or errors: the
    // notes say what, and the number may compare unlike things.
    const mark = (s) => (s && (s.unexpectedStatus > 0 || s.socketErrors > 0 || s.errors.length > 0 || s.rangeCheckFailed) ? '!' : '');
    const row = [metric.label, metric.unit, ...servers.map((name) => formatValue(medians[name]?.median, metric.unit) + mark(medians[name]))];
    if (withService) {
      for (const ref of references) {
        const ratio = summary.ratios[metric.key]?.[ref];
        row.push(ratio === null || ratio === undefined ? '-' : `${ratio.toFixed(2)}x`);
      }
    }
    rows.push(row);
  }
  const widths = header.map((_, i) => Math.max(header[i].length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

// --- main -------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date().toISOString();
  installCleanupHandlers();
  await mkdir(LOGS, { recursive: true });
  const stale = reapStale(path.join(WORK, 'pids.json'));
  if (stale.length > 0) log(`killed leftovers of an earlier run: ${stale.join(', ')}`);

  const pinning = planPinning();
  pinSelf(pinning, pinning.clientCpu);
  const nginxBinary = process.env.BENCH_NGINX_BIN || findExecutable('nginx');
  const wrkBinary = process.env.BENCH_WRK_BIN || findExecutable('wrk');
  const wrk = config.loadgen === 'autocannon' ? null : wrkBinary;
  if (config.loadgen === 'wrk' && !wrk) throw new Error('BENCH_LOADGEN=wrk but wrk is not installed');

  let servers = config.servers;
  const skipped = {};
  if (servers.includes('nginx') && !nginxBinary) {
    servers = servers.filter((name) => name !== 'nginx');
    skipped.nginx = 'not installed';
  }

  const perServer = config.scenarios.reduce((sum, s) => sum + (s === 'S4' ? config.s4Duration + 1.5 : config.duration + 0.5), 0);
  const estimate = servers.length * (config.runs * perServer + config.warmup * 2 + 1) + 30;
  log(`servers: ${servers.join(', ')}${skipped.nginx ? ' (nginx skipped: not installed)' : ''}`);
  log(`scenarios: ${config.scenarios.join(', ')}, ${config.runs} run(s) of ${config.duration} s (S4 ${config.s4Duration} s); S2/S3 with ${wrk ? 'wrk' : 'autocannon'}`);
  log(pinning.enabled ? `pinning: servers on CPU ${pinning.serverCpu}, load generators on CPU ${pinning.clientCpu}` : `pinning off: ${pinning.reason}`);
  log(`expected time: about ${Math.ceil(estimate / 60)} min`);
  // Pinning keeps our processes apart, not other people's: a busy machine
  // (tests, a browser) shows up here and in the JSON.
  const loadBefore = os.loadavg();
  if (loadBefore[0] > 0.5) log(`WARNING load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before starting: other work will skew the numbers`);

  // 1. media
  for (const file of [BIG, MID]) {
    const state = await ensureFile(path.join(MEDIA, file.name), file.size);
    log(`media ${file.name}: ${state} (${file.size / MiB} MiB)`);
    await warmPageCache(path.join(MEDIA, file.name));
  }

  // 2. build
  if (servers.some((name) => SERVICE_NAMES.includes(name))) {
    if (config.build) {
      log('npm run build ...');
      const fd = logFd('build');
      const build = spawnTracked('build', ['npm', 'run', 'build'], { cwd: ROOT, stdout: fd, stderr: fd });
      fs.closeSync(fd);
      const exit = await build.exited;
      if (exit.code !== 0) throw new Error(`npm run build failed (${JSON.stringify(exit)}):\n${tail(path.join(LOGS, 'build.log'), 40)}`);
    } else {
      log('BENCH_SKIP_BUILD=1: using dist/ as it is');
    }
  }

  // 3. servers
  const running = [];
  const failures = [];
  for (const name of servers) {
    try {
      const server = await startServer(name, pinning, nginxBinary);
      const problems = await checkRange(streamUrl(server, BIG), path.join(MEDIA, BIG.name), BIG.size);
      if (problems.length > 0) {
        // Still measured, but the report says the numbers compare unlike things.
        failures.push({ server: name, stage: 'range check', message: problems.join('; ') });
        log(`WARNING ${name} range check: ${problems.join('; ')}`);
      }
      running.push(server);
      log(`${name} ready on ${server.base} (pid ${server.proc.pid}${server.version ? `, nginx ${server.version}` : ''})`);
    } catch (error) {
      failures.push({ server: name, stage: 'start', message: error.message });
      log(`ERROR ${name} did not start: ${error.message}\n${tail(path.join(LOGS, `${name}.log`))}`);
    }
  }
  if (running.length === 0) throw new Error('no server started');
  const ctx = { pinning, wrk };

  // 4. warm-up: JIT, connection paths, page cache, not recorded; then idle RSS
  let idleMeasurements = [];
  if (config.warmup > 0) {
    log(`warm-up: ${config.warmup} s of S1 and of S3 per server`);
    for (const server of running) {
      try {
        await measureS1(server, ctx, config.warmup);
        await measureRanges(server, ctx, 'S3', MID, 4096, 64, config.warmup);
      } catch (error) {
        log(`warm-up of ${server.name} failed: ${error.message}`);
      }
    }
    idleMeasurements = await measureIdleRss(running);
    log(`idle RSS after warm-up: ${idleMeasurements.map((m) => `${m.server} ${formatValue(m.metrics.idleRss, 'MiB')} MiB`).join(', ')}`);
  }

  // 5. measurements. The order of servers rotates with each run so no server
  // is always measured right after the same neighbour.
  const measurements = [...idleMeasurements];
  const started = performance.now();
  for (let run = 1; run <= config.runs; run++) {
    for (const scenario of config.scenarios.filter((name) => name !== 'S5')) {
      const order = running.slice(run - 1).concat(running.slice(0, run - 1));
      for (const server of order) {
        if (server.proc.exitInfo !== null) {
          measurements.push({ run, scenario, server: server.name, error: `server had exited: ${JSON.stringify(server.proc.exitInfo)}` });
          continue;
        }
        await sleep(300); // the previous measurement's sockets close before this one starts
        let entry;
        try {
          const m = await SCENARIOS[scenario](server, ctx);
          entry = { run, scenario, server: server.name, ...m };
          const values = Object.entries(m.metrics).map(([key, value]) => `${key}=${formatValue(value, METRICS.find((x) => x.key === key).unit)}`);
          const flags = [
            m.unexpectedStatus ? `${m.unexpectedStatus} unexpected status` : '',
            m.socketErrors ? `${m.socketErrors} socket errors` : '',
            m.cpu.client > CLIENT_BOUND ? 'client-bound?' : '',
            m.cpu.other > BUSY_MACHINE ? 'other work on the machine' : '',
            ...(m.warnings ?? []),
          ].filter(Boolean);
          const pct = (share) => (share === null ? '?' : `${Math.round(share * 100)}%`);
          const cpuText = `cpu server ${pct(m.cpu.server)} client ${pct(m.cpu.client)} other ${pct(m.cpu.other)}`;
          log(`run ${run}/${config.runs} ${scenario} ${server.name.padEnd(8)} ${values.join(' ').padEnd(26)} ${cpuText}${flags.length ? `  [${flags.join('; ')}]` : ''}`);
        } catch (error) {
          if (isStopping()) return; // Ctrl-C killed the client; the handler exits
          entry = { run, scenario, server: server.name, error: error.message };
          log(`run ${run}/${config.runs} ${scenario} ${server.name}: ERROR ${error.message}`);
        }
        if (server.proc.exitInfo !== null) {
          entry.error = `${entry.error ? `${entry.error}; ` : ''}server exited during the scenario: ${JSON.stringify(server.proc.exitInfo)}`;
          delete entry.metrics;
          log(`ERROR ${server.name} exited during ${scenario}; last log lines:\n${tail(server.log)}`);
          failures.push({ server: server.name, stage: `${scenario} run ${run}`, message: `exited ${JSON.stringify(server.proc.exitInfo)}`, log: tail(server.log) });
        }
        measurements.push(entry);
      }
    }
  }
  if (config.scenarios.includes('S5')) {
    // The pinned servers sit idle meanwhile: stopping them would change nothing measured.
    await measureMultiCore(running.map((server) => server.name), pinning, nginxBinary, wrk, measurements, failures);
  }
  const measuredSeconds = (performance.now() - started) / 1000;
  const loadAfter = os.loadavg();

  // 6. medians and ratios
  const names = running.map((server) => server.name);
  const summary = { ratios: {}, pairedRatios: {} };
  for (const metric of METRICS) {
    summary[metric.key] = {};
    for (const name of names) {
      const runs = measurements.filter((m) => m.server === name && m.scenario === metric.scenario);
      const values = runs.map((m) => m.metrics?.[metric.key] ?? null);
      summary[metric.key][name] = {
        median: median(values),
        runs: values,
        unexpectedStatus: runs.reduce((sum, m) => sum + (m.unexpectedStatus ?? 0), 0),
        socketErrors: runs.reduce((sum, m) => sum + (m.socketErrors ?? 0), 0),
        maxClientCpu: Math.max(0, ...runs.map((m) => m.cpu?.client ?? 0)),
        maxOtherCpu: Math.max(0, ...runs.map((m) => m.cpu?.other ?? 0)),
        serverCpu: median(runs.map((m) => m.cpu?.server ?? null)),
        errors: runs.filter((m) => m.error).map((m) => m.error),
        rangeCheckFailed: failures.some((f) => f.server === name && f.stage === 'range check'),
      };
    }
    summary.ratios[metric.key] = {};
    const own = summary[metric.key].service?.median;
    for (const name of names.filter((n) => n !== 'service')) {
      const ref = summary[metric.key][name]?.median;
      summary.ratios[metric.key][name] = own != null && ref ? own / ref : null;
    }
    // The same ratio taken within each round, where both ran minutes apart
    // at most and the machine's drift mostly cancels: its median is the
    // number to quote when the medians' ratio moves from one bench to the next.
    summary.pairedRatios[metric.key] = {};
    for (const name of names.filter((n) => n !== 'service')) {
      const ratios = [];
      for (const m of measurements.filter((x) => x.server === 'service' && x.scenario === metric.scenario)) {
        const other = measurements.find((x) => x.server === name && x.scenario === metric.scenario && x.run === m.run);
        const a = m.metrics?.[metric.key];
        const b = other?.metrics?.[metric.key];
        if (typeof a === 'number' && typeof b === 'number' && b > 0) ratios.push(a / b);
      }
      summary.pairedRatios[metric.key][name] = ratios.length === 0 ? null : { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), runs: ratios };
    }
  }

  // 7. what the service logged: errors under load are a finding, not noise.
  const serviceLog = running.find((s) => s.name === 'service')?.log;

  await stopAll();

  const table = renderTable(summary, names);
  console.log('');
  const s4Text = config.scenarios.includes('S4') ? `, S4 ${config.s4Duration} s with ${config.s4Clients} clients x ${config.s4Rate / 1000} KB/s` : '';
  console.log(`Medians of ${config.runs} run(s) of ${config.duration} s${s4Text}.`);
  console.log(pinning.enabled ? `Servers on CPU ${pinning.serverCpu}, load generators on CPU ${pinning.clientCpu}. S2/S3 by ${wrk ? 'wrk' : 'autocannon'}.` : `Not pinned (${pinning.reason}). S2/S3 by ${wrk ? 'wrk' : 'autocannon'}.`);
  console.log('');
  console.log(table);
  console.log('');
  if (Object.values(summary).some((byServer) => Object.values(byServer).some((s) => s && (s.unexpectedStatus > 0 || s.socketErrors > 0 || s.errors?.length > 0 || s.rangeCheckFailed)))) {
    console.log('!: some runs had unexpected statuses, socket errors or failed; see the notes.');
  }
  if (names.includes('service') && names.length > 1) {
    console.log('service/X: the service\'s median divided by X\'s. Higher is better for MB/s and req/s, lower for RSS.');
  }
  console.log(`MB/s is 10^6 bytes/s.${names.includes('nginx') ? ' RSS of nginx is master + worker.' : ''}`);

  // Every run's value, so a median hiding a wide spread is visible.
  if (config.runs > 1) {
    console.log('');
    console.log('Runs in order (spread check):');
    for (const metric of METRICS) {
      if (!shown(metric)) continue;
      const cells = names.map((name) => `${name} ${summary[metric.key][name].runs.map((v) => formatValue(v, metric.unit)).join('/')}`);
      console.log(`  ${metric.key.padEnd(6)} ${cells.join('   ')}`);
    }
  }

  if (config.runs > 1 && names.includes('service')) {
    console.log('');
    console.log('Ratios within each round, service/X (median [min-max]; quote these on a noisy machine):');
    for (const metric of METRICS) {
      if (!shown(metric) || metric.scenario === 'idle') continue;
      const cells = names
        .filter((name) => name !== 'service' && summary.pairedRatios[metric.key][name])
        .map((name) => {
          const r = summary.pairedRatios[metric.key][name];
          return `${name} ${r.median.toFixed(2)} [${r.min.toFixed(2)}-${r.max.toFixed(2)}]`;
        });
      if (cells.length > 0) console.log(`  ${metric.key.padEnd(7)} ${cells.join('   ')}`);
    }
  }

  const notes = [];
  for (const metric of METRICS) {
    if (!shown(metric) || (metric.scenario === 'S4' && metric.key !== 'S4peak')) continue;
    for (const name of names) {
      const s = summary[metric.key][name];
      if (s.unexpectedStatus) notes.push(`${metric.scenario} ${name}: ${s.unexpectedStatus} responses with an unexpected status (non-2xx; S1/S4: non-200)`);
      if (s.socketErrors) notes.push(`${metric.scenario} ${name}: ${s.socketErrors} socket errors/timeouts`);
      if (s.maxClientCpu > CLIENT_BOUND) notes.push(`${metric.scenario} ${name}: load generator used up to ${(s.maxClientCpu * 100).toFixed(0)}% of its CPU, the number may be the client's limit`);
      if (s.maxOtherCpu > BUSY_MACHINE) notes.push(`${metric.scenario} ${name}: other processes used up to ${(s.maxOtherCpu * 100).toFixed(0)}% of a CPU during a run: numbers disturbed`);
      for (const error of new Set(s.errors)) notes.push(`${metric.scenario} ${name}: ${error}`);
    }
  }
  for (const m of measurements) for (const w of m.warnings ?? []) notes.push(`${m.scenario} ${m.server} run ${m.run}: ${w}`);
  for (const f of failures) notes.push(`${f.server} ${f.stage}: ${f.message}`);
  if (skipped.nginx) notes.push(`nginx skipped: ${skipped.nginx}`);
  if (serviceLog) {
    const text = fs.existsSync(serviceLog) ? fs.readFileSync(serviceLog, 'utf8') : '';
    const errorLines = text.split('\n').filter((l) => /error|warn|exception/i.test(l));
    if (errorLines.length > 0) notes.push(`service log has ${errorLines.length} error/warning line(s), e.g.: ${errorLines.slice(0, 3).join(' | ')} (${path.relative(ROOT, serviceLog)})`);
  }
  if (notes.length > 0) {
    console.log('');
    console.log('Notes:');
    for (const note of notes) console.log(`  - ${note}`);
  }

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsFile = path.join(WORK, `results-${stamp}.json`);
  let gitCommit = null;
  try {
    gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout
  }
  await writeFile(
    resultsFile,
    `${JSON.stringify(
      {
        startedAt,
        measuredSeconds,
        machine: {
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model,
          memoryGiB: os.totalmem() / 2 ** 30,
          kernel: os.release(),
          node: process.version,
          loadAverageBefore: loadBefore,
          loadAverageAfter: loadAfter,
        },
        gitCommit,
        config,
        pinning: pinning.enabled ? { serverCpu: pinning.serverCpu, clientCpu: pinning.clientCpu } : { reason: pinning.reason },
        tools: {
          rangeLoadgen: wrk ? toolVersion([wrk, '-v']) : 'autocannon',
          nginx: running.find((s) => s.name === 'nginx')?.version ?? null,
        },
        servers: Object.fromEntries(running.map((s) => [s.name, { url: s.base + streamPath(BIG), log: path.relative(ROOT, s.log) }])),
        skipped,
        metrics: METRICS,
        summary,
        measurements,
        failures,
        notes,
        table,
      },
      null,
      2,
    )}\n`,
  );
  console.log('');
  console.log(`Results: ${path.relative(process.cwd(), resultsFile)}  (logs in ${path.relative(process.cwd(), LOGS)}/)`);
}

// `node bench/run.mjs catalog`: the catalog's own numbers (bench/catalog.mjs).
if (process.argv[2] === 'catalog') await import('./catalog.mjs');
else main().then(
  () => process.exit(0),
  async (error) => {
    console.error(`[bench] ${error.stack ?? error.message}`);
    await stopAll();
    process.exit(1);
  },
);
