// S2/S3 load generator when wrk is not installed (or BENCH_LOADGEN=autocannon):
// autocannon with a setupRequest that gives every request a random single
// Range of a fixed length. Run as its own process so it can be pinned to the
// load generators' CPU like wrk.
//
// Usage: node bench/range-client-autocannon.mjs <url> <connections> <seconds> <file size> <range length>
// Prints one JSON line in the same shape as range.lua's BENCH_RESULT.

import autocannon from 'autocannon';

const [url, connectionsArg, secondsArg, sizeArg, lengthArg] = process.argv.slice(2);
if (!lengthArg) {
  console.error('usage: range-client-autocannon.mjs <url> <connections> <seconds> <file size> <range length>');
  process.exit(2);
}
const size = Number(sizeArg);
const length = Number(lengthArg);

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
        return { ...request, headers: { ...request.headers, range: `bytes=${first}-${first + length - 1}` } };
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
