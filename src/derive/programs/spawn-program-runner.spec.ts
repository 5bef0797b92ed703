import { open, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ProgramResult, ProgramRun } from './program-runner.js';
import { PROGRAM_NICENESS, SpawnProgramRunner } from './spawn-program-runner.js';

// /bin/sh stands in for ffprobe, so each test states exactly what the child does.
const shell = (script: string, extra: Partial<ProgramRun> = {}): ProgramRun => ({
  program: 'ffprobe',
  purpose: 'probe',
  args: ['-c', script],
  maxStdoutBytes: 1024 * 1024,
  ...extra,
});

const runner = (concurrency = 2, timeoutSeconds = 30, listener: SpawnProgramRunner['run'] | null = null): SpawnProgramRunner =>
  new SpawnProgramRunner(
    { programs: { ffprobe: '/bin/sh', ffmpeg: null }, concurrency, timeoutSeconds },
    listener === null ? null : { onRunFinished: (run) => void listener(run) },
  );

describe('SpawnProgramRunner', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'runner-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('never runs more than the concurrency at once, however many are queued', async () => {
    const log = path.join(folder, 'overlap.log');
    const subject = runner(2);
    const runs = Array.from({ length: 12 }, () => subject.run(shell(`echo + >> '${log}'; sleep 0.1; echo - >> '${log}'`)));
    expect(subject.pending).toBeGreaterThan(0);
    await Promise.all(runs);
    let running = 0;
    let most = 0;
    for (const line of (await readFile(log, 'utf8')).trim().split('\n')) {
      running += line === '+' ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).toBe(2);
  });

  it('kills the whole process group after the timeout', async () => {
    const result = await runner(1, 1).run(shell('sleep 30 & echo $!; wait'));
    expect(result.outcome).toBe('timeout');
    const grandchild = Number(result.stdout.toString().trim());
    expect(grandchild).toBeGreaterThan(0);
    // Gone, or a zombie waiting for its new parent to reap it: not running either way.
    const state = await readFile(`/proc/${grandchild}/stat`, 'utf8').then((stat) => stat.split(') ')[1]?.[0], () => 'gone');
    expect(['gone', 'Z', 'X']).toContain(state);
  });

  it('kills a child that writes more than the bound', async () => {
    const result = await runner().run(shell('yes', { maxStdoutBytes: 1000 }));
    expect(result.outcome).toBe('output-limit');
    expect(result.stdout.length).toBeLessThanOrEqual(1000);
  });

  it('gives a minimal environment and a working folder outside the media root', async () => {
    // A variable of the test's own, not a setting of the service.
    const secret = 'DERIVE_RUNNER_SECRET';
    process.env[secret] = 'x';
    try {
      const result = await runner().run(shell('env; pwd'));
      const text = result.stdout.toString();
      expect(text).not.toContain(secret);
      expect(text).toContain('LC_ALL=C');
      expect(text.trim().split('\n').at(-1)).toBe(await import('node:fs/promises').then((fs) => fs.realpath(tmpdir())));
    } finally {
      delete process.env[secret];
    }
  });

  it('runs programs at the lowest CPU priority, so they never take CPU from streams', async () => {
    // /proc/<pid>/stat field 19 is the niceness; read after the runner has lowered it.
    const result = await runner().run(shell('sleep 0.3; cut -d" " -f19 /proc/$$/stat; cat /proc/$$/autogroup 2>/dev/null || echo none'));
    const [niceness, autogroup] = result.stdout.toString().trim().split('\n');
    expect(niceness).toBe(String(PROGRAM_NICENESS));
    // Where the kernel groups sessions for scheduling, the program's own group is lowered as well.
    if (autogroup !== 'none') expect(autogroup).toMatch(new RegExp(` nice ${PROGRAM_NICENESS}$`));
  });

  it('hands the input descriptor as fd 3 and feeds stdin', async () => {
    const file = path.join(folder, 'input.bin');
    await writeFile(file, 'from-fd');
    const handle = await open(file, 'r');
    try {
      const fromFd = await runner().run(shell('cat <&3', { inputFd: handle.fd }));
      expect(fromFd.stdout.toString()).toBe('from-fd');
    } finally {
      await handle.close();
    }
    const fromStdin = await runner().run(shell('cat', { stdin: Readable.from([Buffer.from('from-stdin')]) }));
    expect(fromStdin.stdout.toString()).toBe('from-stdin');
  });

  it('answers unavailable for a program that was not found, and tells the listener of every run', async () => {
    const seen: string[] = [];
    const subject = runner(1, 30, async (run) => {
      seen.push(run.program);
      return {} as ProgramResult;
    });
    expect(subject.available('ffmpeg')).toBe(false);
    expect((await subject.run({ ...shell('true'), program: 'ffmpeg' })).outcome).toBe('unavailable');
    expect((await subject.run(shell('exit 3'))).exitCode).toBe(3);
    expect(seen).toEqual(['ffmpeg', 'ffprobe']);
  });
});
