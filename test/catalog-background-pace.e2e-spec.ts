import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { FakeProber } from './support/fake-prober.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

/**
 * Background probes yield to requests: while requests keep arriving, the
 * catalog probes new items one at a time at a trickle instead of at full
 * speed (each probe forks a process from the service's), and it catches up
 * once the requests stop. Items a request waits for are probed at once.
 */
const NEW_ITEMS = 40;
const LOAD_MS = 3_000;

let root: string;
let t: TestApp;
let prober: FakeProber;

beforeAll(async () => {
  root = await makeMediaRoot();
  await writeFile(path.join(root, 'busy.mp4'), Buffer.alloc(4096, 1));
  prober = new FakeProber(() => ({ durationSeconds: 2 }), 20);
  t = await startApp(root, { CATALOG_RESCAN_SECONDS: '1' }, {}, { prober });
});

afterAll(async () => {
  await t?.close();
  await removeRoot(root);
});

/** Requests one after another on `connections` keep-alive connections until `until` resolves. */
async function keepBusy(connections: number, until: Promise<void>): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let stop = false;
  let count = 0;
  void until.then(() => (stop = true));
  const loop = async (): Promise<void> => {
    while (!stop) {
      await new Promise<void>((resolve, reject) => {
        http
          .get(`${t.baseUrl}/api/videos/busy.mp4/stream`, { agent, headers: { Range: 'bytes=0-99' } }, (res) => {
            res.resume();
            res.on('end', resolve);
          })
          .on('error', reject);
      });
      count++;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
  return count;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const probedNew = (): number => new Set(prober.calls.filter((call) => call.id.startsWith('new-')).map((call) => call.id)).size;

it('probes new items at a trickle while requests arrive, then catches up', async () => {
  let endLoad!: () => void;
  const loadEnded = new Promise<void>((resolve) => (endLoad = resolve));
  const load = keepBusy(4, loadEnded);
  await sleep(200);
  for (let i = 0; i < NEW_ITEMS; i++) await writeFile(path.join(root, `new-${i}.mp4`), Buffer.alloc(16, i));
  // Listed (the scan is not held back), yet mostly not probed.
  let listed = 0;
  const deadline = Date.now() + LOAD_MS;
  while (Date.now() < deadline) {
    const body = (await (await fetch(`${t.baseUrl}/api/videos?limit=100&q=new-`)).json()) as { total: number };
    listed = body.total;
    await sleep(100);
  }
  const duringLoad = probedNew();
  endLoad();
  const requests = await load;
  expect(requests).toBeGreaterThan(100);
  expect(listed).toBe(NEW_ITEMS);
  // At full speed (4 at a time, 20 ms each) all 40 take a fifth of a second.
  expect(duringLoad).toBeLessThan(NEW_ITEMS / 2);
  const caughtUp = Date.now() + 15_000;
  while (probedNew() < NEW_ITEMS && Date.now() < caughtUp) await sleep(50);
  expect(probedNew()).toBe(NEW_ITEMS);
}, 40_000);

it('probes an item a request waits for at once, under load too', async () => {
  let endLoad!: () => void;
  const loadEnded = new Promise<void>((resolve) => (endLoad = resolve));
  const load = keepBusy(4, loadEnded);
  await sleep(200);
  await writeFile(path.join(root, 'wanted.mp4'), Buffer.alloc(16, 9));
  let found = false;
  const deadline = Date.now() + 10_000;
  while (!found && Date.now() < deadline) {
    const res = await fetch(`${t.baseUrl}/api/videos/wanted.mp4`);
    const body = (await res.json()) as { metadata?: { status?: string; durationSeconds?: number } };
    found = body.metadata?.durationSeconds === 2;
    if (!found) await sleep(50);
  }
  endLoad();
  await load;
  expect(found).toBe(true);
  expect(prober.callsFor('wanted.mp4')).toBe(1);
}, 30_000);
