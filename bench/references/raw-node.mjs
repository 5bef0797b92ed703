// Reference server (b): plain node:http + fs.createReadStream, handling one
// Range (bytes=a-b, bytes=a-, bytes=-n) itself. No framework, no validators:
// the floor of what Node can do with the same streaming primitive the service
// uses, so "service / raw-node" is the framework's and the contract's cost.
//
// Env: PORT, HOST (default 127.0.0.1), MEDIA_ROOT.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';

const root = path.resolve(process.env.MEDIA_ROOT ?? '');
const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
if (!process.env.MEDIA_ROOT || !Number.isInteger(port)) {
  console.error('raw-node: MEDIA_ROOT and PORT are required');
  process.exit(1);
}

const ROUTE = /^\/api\/videos\/([^/?]+)\/stream(?:\?.*)?$/;
const TYPES = { '.mp4': 'video/mp4', '.webm': 'video/webm', '.mp3': 'audio/mpeg' };

/**
 * One range against size: { start, end } (inclusive), 'unsatisfiable', or
 * null to send the whole file (no header, several ranges, or a malformed one:
 * RFC 9110 lets a server ignore Range).
 */
function parseRange(header, size) {
  if (typeof header !== 'string') return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start;
  let end;
  if (match[1] === '') {
    // suffix: the last n bytes
    const n = Number(match[2]);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== '' && Number(match[2]) < start) return null;
  }
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

function plain(res, status) {
  res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': 0 });
  res.end();
}

const server = http.createServer(async (req, res) => {
  const match = ROUTE.exec(req.url ?? '');
  if (!match) return plain(res, 404);
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405);
  let id;
  try {
    id = decodeURIComponent(match[1]);
  } catch {
    return plain(res, 400);
  }
  const file = path.resolve(root, id);
  if (!file.startsWith(root + path.sep)) return plain(res, 404);
  let size;
  try {
    const stats = await stat(file);
    if (!stats.isFile()) return plain(res, 404);
    size = stats.size;
  } catch {
    return plain(res, 404);
  }

  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
    return res.end();
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const headers = {
    'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': end - start + 1,
    'Accept-Ranges': 'bytes',
  };
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD' || size === 0) return res.end();

  // pipeline() destroys the file stream when the client goes away and the
  // response when the file fails: no leaked descriptors under S4's aborts.
  pipeline(createReadStream(file, { start, end }), res, () => undefined);
});

server.listen(port, host, () => {
  console.log(`raw-node serving ${root} on http://${host}:${port}`);
});
server.on('error', (error) => {
  console.error(`raw-node: ${error.message}`);
  process.exit(1);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
