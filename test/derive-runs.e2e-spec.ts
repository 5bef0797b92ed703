import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fetchBytes } from './support/http.js';
import { FFMPEG, FFPROBE, makeMp4 } from './support/media.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';
import { idleProber } from './support/fake-prober.js';

// FFPROBE_PATH and FFMPEG_PATH point at wrappers that log each run's start
// (+) and end (-) to one file, then run the real program: the tests count
// real processes, not calls.
let root: string;
let work: string;
let log: string;
let env: Record<string, string>;

async function wrapper(name: string, program: string): Promise<string> {
  const file = path.join(work, name);
  await writeFile(file, `#!/bin/sh\necho "+ ${name}" >> '${log}'\n${program} "$@"\nstatus=$?\necho "- ${name}" >> '${log}'\nexit $status\n`);
  await chmod(file, 0o755);
  return file;
}

const runsLogged = async (): Promise<string[]> => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
const poster = (id: string): string => `/api/videos/${encodeURIComponent(id)}/poster`;

beforeAll(async () => {
  root = await makeMediaRoot();
  work = await mkdtemp(path.join(tmpdir(), 'derive-runs-'));
  log = path.join(work, 'runs.log');
  const clip = await makeMp4(path.join(root, 'clip.mp4'));
  for (let index = 0; index < 10; index += 1) await copyFile(clip, path.join(root, `burst/item-${index}.mp4`).replace('burst/', 'burst-'));
  env = {
    DATA_DIR: path.join(work, 'data'),
    PROBE_CONCURRENCY: '2',
    FFPROBE_PATH: await wrapper('ffprobe', FFPROBE),
    FFMPEG_PATH: await wrapper('ffmpeg', FFMPEG),
  };
}, 120_000);

afterAll(async () => {
  await removeRoot(root);
  await rm(work, { recursive: true, force: true });
});

describe('runs of ffprobe and ffmpeg', () => {
  it('makes a poster once for N parallel requests, and keeps it across a restart', async () => {
    let app: TestApp = await startApp(root, env, {}, { prober: idleProber });
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, () => fetchBytes(app.baseUrl, poster('clip.mp4'))));
      expect(answers.map((res) => res.status)).toEqual(Array(12).fill(200));
      expect(answers.every((res) => res.body.equals(answers[0].body))).toBe(true);
      expect((await runsLogged()).filter((line) => line === '+ ffmpeg')).toHaveLength(1);
      expect((await runsLogged()).filter((line) => line === '+ ffprobe')).toHaveLength(1);
    } finally {
      await app.close();
    }
    app = await startApp(root, env, {}, { prober: idleProber });
    try {
      const again = await fetchBytes(app.baseUrl, poster('clip.mp4'));
      expect(again.status).toBe(200);
      // The probe may run again (the catalog persists probes, not this module), the image is not made again.
      expect((await runsLogged()).filter((line) => line === '+ ffmpeg')).toHaveLength(1);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('never runs more than PROBE_CONCURRENCY programs at once in a burst of requests', async () => {
    await writeFile(log, '');
    const app = await startApp(root, env, {}, { prober: idleProber });
    try {
      const ids = Array.from({ length: 10 }, (_, index) => `burst-item-${index}.mp4`);
      // Request i asks item i % 10, with a width when i / 10 is odd: every item, both kinds of poster.
      const requests = Array.from({ length: 100 }, (_, index) =>
        fetchBytes(app.baseUrl, `${poster(ids[index % ids.length])}${Math.floor(index / ids.length) % 2 === 0 ? '' : '?width=160'}`),
      );
      const answers = await Promise.all(requests);
      expect(answers.every((res) => res.status === 200)).toBe(true);
      let running = 0;
      let most = 0;
      for (const line of await runsLogged()) {
        running += line.startsWith('+') ? 1 : -1;
        most = Math.max(most, running);
      }
      expect(most).toBe(2);
      // 10 probes and 20 images (two per item), each made once.
      expect((await runsLogged()).filter((line) => line.startsWith('+'))).toHaveLength(30);
    } finally {
      await app.close();
    }
  }, 120_000);
});
