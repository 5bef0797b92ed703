// S2/S3 load generator when wrk is not installed (or BENCH_LOADGEN=autocannon):
// autocannon with a setupRequest that gives every request a random single
// Range of a fixed length. Run as its own process so it can be pinned to the
// load generators' CPU like wrk.
//
// Usage: node bench/range-client-autocannon.mjs <url> <connections> <seconds> <file size> <range length> [links file]
// With a links file (one `expires=...&signature=...` a line), each request
// takes the next link as its query, as range.lua does.
// Prints one JSON line in the same shape as range.lua's BENCH_RESULT.

import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

const [url, connectionsArg, secondsArg, sizeArg, lengthArg, linksFile] = process.argv.slice(2);
if (!lengthArg) {
  console.error('usage: range-client-autocannon.mjs <url> <connections> <seconds> <file size> <range length>');
  process.exit(2);
}
const size = Number(sizeArg);
const length = Number(lengthArg);
const links = linksFile === undefined ? [] : readFileSync(linksFile, 'utf8').split('\n').filter(Boolean);
let nextLink = 0;

const result = await autocannon({
  url,
  connections: Number(connectionsArg),
  duration: Number(secondsArg),
  pipelining: 1,
  timeout: 10,
  requests: [
    {
      method: 'GET',
      // Called for every request (not only the first) because it is a function.
      setupRequest(request) {
        const first = Math.floor(Math.random() * (size - length + 1));
        const headers = { ...request.headers, range: `bytes=${first}-${first + length - 1}` };
        if (links.length === 0) return { ...request, headers };
        nextLink = (nextLink + 1) % links.length;
        return { ...request, path: `${new URL(url).pathname}?${links[nextLink]}`, headers };
      },
    },
  ],
});

const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]));
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    duration_us: Math.round(result.duration * 1e6),
    bytes: result.throughput.total,
    statuses,
    non2xx: result.non2xx,
    errors: { connect: 0, read: 0, write: 0, status: result.non2xx, timeout: result.timeouts, other: result.errors },
    latency_us: { p50: result.latency.p50 * 1000, p99: result.latency.p99 * 1000, max: result.latency.max * 1000 },
  })}\n`,
  () => process.exit(0),
);
