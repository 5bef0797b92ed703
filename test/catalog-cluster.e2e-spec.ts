import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';

/**
 * WEB_CONCURRENCY > 1: two real worker processes share the catalog file. One
 * holds the lease and scans and probes; the other reads and notices its
 * writes. Each item is probed once, and when the indexing worker dies the
 * other takes over.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// A build of its own: the startup suite builds dist/ at the same time.
const build = path.join(repoRoot, '.test-build', 'catalog-cluster');
const fixture = path.join(repoRoot, 'test', 'support', 'catalog-cluster.mjs');

let work: string;
let child: ChildProcess | undefined;
/** What the workers printed and probed so far, for a timeout's message. */
let progress = (): string => '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * GET with a timeout: a connection the cluster handed to the worker that was
 * just killed is never answered, and must not hang the test.
 */
function getJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 3_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function until<T>(what: string, attempt: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await attempt().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; ${progress()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', build], { cwd: repoRoot, stdio: 'pipe' });
  work = await realpath(await mkdtemp(path.join(tmpdir(), 'catalog-cluster-')));
}, 120_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await rm(work, { recursive: true, force: true });
});

it('probes each item once across two workers, both list it, and the other worker takes over when the indexer dies', async () => {
  const media = path.join(work, 'media');
  const probeLog = path.join(work, 'probes.log');
  await mkdir(media);
  const ids = Array.from({ length: 12 }, (_, i) => `item-${String(i).padStart(2, '0')}.mp4`);
  for (const id of ids) await writeFile(path.join(media, id), id);
  await writeFile(probeLog, '');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, MEDIA_ROOT: media, DATA_DIR: path.join(work, 'data'), PORT: String(port), PROBE_LOG: probeLog, CATALOG_BUILD: build, CATALOG_RESCAN_SECONDS: '1' };
  delete env.NODE_OPTIONS;
  child = spawn(process.execPath, [fixture], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  progress = () => `${output}\nprobes: ${readFileSync(probeLog, 'utf8').split('\n').length - 1}`;
  const workers = (): number[] =>
    execFileSync('ps', ['-o', 'pid=', '--ppid', String(child?.pid)], { encoding: 'utf8' }).split('\n').map(Number).filter((pid) => pid > 0);

  const allReady = async (expected: string[]): Promise<true | null> => {
    // Fresh connections: the cluster hands them to both workers in turn.
    for (let i = 0; i < 4; i++) {
      const { items } = (await getJson(`http://127.0.0.1:${port}/api/videos?limit=500`)) as { items: Array<{ id: string; metadata: { status: string } }> };
      if (items.map((item) => item.id).join() !== expected.join() || items.some((item) => item.metadata.status !== 'ready')) return null;
    }
    return true;
  };
  await until('both workers listing every item ready', () => allReady(ids));
  const lines = async (): Promise<Array<[number, string]>> =>
    (await readFile(probeLog, 'utf8')).split('\n').filter(Boolean).map((line) => [Number(line.split(' ')[0]), line.slice(line.indexOf(' ') + 1)]);
  const probed = await lines();
  expect(probed.map(([, id]) => id).sort()).toEqual(ids);
  const indexer = probed[0][0];
  expect(new Set(probed.map(([pid]) => pid))).toEqual(new Set([indexer]));
  expect(workers()).toHaveLength(2);

  process.kill(indexer, 'SIGKILL');
  await writeFile(path.join(media, 'late.mp4'), 'late');
  await until('the other worker indexing the new file', () => allReady([...ids, 'late.mp4']));
  const after = (await lines()).slice(probed.length);
  expect(after.map(([, id]) => id)).toEqual(['late.mp4']);
  expect(after[0][0]).not.toBe(indexer);
}, 180_000);
