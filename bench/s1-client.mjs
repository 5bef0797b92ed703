// S1 load generator: N keep-alive connections, each GETting the whole file
// again and again for a fixed time, counting body bytes and throwing them away.
//
// Why not wrk/autocannon: both read through small buffers (wrk 8 KiB) and parse
// every body byte, so on one CPU they top out below what nginx's sendfile does
// over loopback. This client uses node:net with `onread` into one reused 1 MiB
// buffer per connection: no allocation per chunk, no parsing of the body, only
// a counter. It also checks each response's status.
//
// Usage: node bench/s1-client.mjs <url> <connections> <seconds>
// Prints one JSON line: { bytes, seconds, responses, statuses, errors }.

import net from 'node:net';
import { performance } from 'node:perf_hooks';

const [url, connectionsArg = '4', secondsArg = '5'] = process.argv.slice(2);
if (!url) {
  console.error('usage: s1-client.mjs <url> <connections> <seconds>');
  process.exit(2);
}
const target = new URL(url);
const connections = Number(connectionsArg);
const durationMs = Number(secondsArg) * 1000;
const READ_BUFFER = 1024 * 1024;
const MAX_HEADER = 64 * 1024;
const requestText = `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nUser-Agent: bench-s1\r\nAccept: */*\r\n\r\n`;

let bytes = 0;
let responses = 0;
const statuses = {};
const errors = {};
let stopped = false;
const sockets = new Set();

const countError = (key) => {
  errors[key] = (errors[key] ?? 0) + 1;
};

function connect() {
  if (stopped) return;
  let header = null; // Buffer of header bytes seen so far while in header mode
  let bodyLeft = 0;
  let status = 0;
  let closeAfter = false;
  let failed = false;

  const socket = net.connect({
    host: target.hostname,
    port: Number(target.port || 80),
    onread: { buffer: Buffer.allocUnsafe(READ_BUFFER), callback: (n, buffer) => onData(n, buffer) },
  });
  sockets.add(socket);
  socket.setNoDelay(true);

  const send = () => {
    header = Buffer.alloc(0);
    socket.write(requestText);
  };

  function onData(n, buffer) {
    let offset = 0;
    while (offset < n && !stopped) {
      if (header !== null) {
        // Header mode. Copying here is cheap: it happens once per response,
        // at most one read buffer's worth.
        header = Buffer.concat([header, buffer.subarray(offset, n)]);
        const end = header.indexOf('\r\n\r\n');
        if (end === -1) {
          if (header.length > MAX_HEADER) return fail('header too large');
          offset = n;
          continue;
        }
        const text = header.subarray(0, end).toString('latin1');
        const bodyHere = header.length - (end + 4); // body bytes already in this read
        offset = n - bodyHere;
        header = null;
        status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
        if (length === null) return fail(`status ${status} without Content-Length`);
        bodyLeft = Number(length[1]);
        closeAfter = /\r\nconnection:\s*close/i.test(text);
      }
      const take = Math.min(bodyLeft, n - offset);
      bodyLeft -= take;
      bytes += take;
      offset += take;
      if (bodyLeft === 0 && header === null) {
        responses++;
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (closeAfter) {
          socket.destroy();
          return;
        }
        send();
      }
    }
    return undefined;
  }

  function fail(reason) {
    failed = true;
    countError(reason);
    socket.destroy();
  }

  socket.on('connect', send);
  socket.on('error', (error) => {
    failed = true;
    if (!stopped) countError(error.code ?? error.message);
  });
  socket.on('close', () => {
    sockets.delete(socket);
    // Reconnect after a close (server's choice or an error), a little later
    // after an error so a dead server does not spin this process.
    if (!stopped) setTimeout(connect, failed ? 50 : 0);
  });
}

const started = performance.now();
for (let i = 0; i < connections; i++) connect();

setTimeout(() => {
  stopped = true;
  const seconds = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.destroy();
  process.stdout.write(`${JSON.stringify({ bytes, seconds, responses, statuses, errors })}\n`, () => process.exit(0));
}, durationMs);
