// Small HTTP helpers for the orchestrator: free ports, readiness, a Range check.

import http from 'node:http';
import net from 'node:net';
import { open } from 'node:fs/promises';

/**
 * A port that was free on 127.0.0.1 a moment ago. There is a small window in
 * which something else could take it; a server that then fails to listen
 * shows up as "exited before it was ready" with its log.
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One request, body read fully (keep it small), with a timeout. */
export function request(url, { method = 'GET', headers = {}, timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Polls with HEAD until the server answers (any status below 500), the process
 * exits, or timeoutMs passes. HEAD so that a server that is up does not start
 * sending a 256 MiB body.
 */
export async function waitUntilReady(url, proc, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let lastError = null;
  while (Date.now() < deadline) {
    if (proc.exitInfo !== null) {
      throw new Error(`${proc.name} exited before it was ready (${JSON.stringify(proc.exitInfo)})`);
    }
    try {
      const res = await request(url, { method: 'HEAD', timeoutMs: 1000 });
      if (res.status < 500) return;
      lastError = new Error(`HTTP ${res.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${proc.name} not ready after ${timeoutMs} ms: ${lastError?.message}`);
}

/**
 * Before timing a server, checks that it answers a single Range with 206, the
 * right Content-Range and the right bytes. A server that ignored Range would
 * otherwise look "slow" in S2/S3 instead of wrong.
 */
export async function checkRange(url, file, size) {
  const first = 1000;
  const last = 1000 + 4095;
  const res = await request(url, { headers: { Range: `bytes=${first}-${last}` } });
  const problems = [];
  if (res.status !== 206) problems.push(`status ${res.status}, expected 206`);
  const expectedRange = `bytes ${first}-${last}/${size}`;
  if (res.headers['content-range'] !== expectedRange) {
    problems.push(`Content-Range ${JSON.stringify(res.headers['content-range'])}, expected ${JSON.stringify(expectedRange)}`);
  }
  const handle = await open(file, 'r');
  const expected = Buffer.alloc(last - first + 1);
  await handle.read(expected, 0, expected.length, first);
  await handle.close();
  if (!res.body.equals(expected)) problems.push(`body differs from the file (${res.body.length} bytes received)`);
  return problems;
}
