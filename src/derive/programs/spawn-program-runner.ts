import { spawn, type StdioOptions } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ProgramName, ProgramPaths } from './program-locator.js';
import type { ProgramResult, ProgramRun, ProgramRunListener, ProgramRunner, RunOutcome } from './program-runner.js';

/** ffmpeg at -v error writes a few lines; more means something is wrong. */
export const STDERR_MAX_BYTES = 64 * 1024;

export interface SpawnRunnerSettings {
  programs: ProgramPaths;
  concurrency: number;
  timeoutSeconds: number;
  /** The children's working folder; never the media root. Defaults to the OS temp folder. */
  cwd?: string;
}

const empty = Buffer.alloc(0);
/** nice(1)'s lowest priority. */
export const PROGRAM_NICENESS = 19;

/** ProgramRunner on child_process.spawn, behind a p-limit queue shared by every run. */
export class SpawnProgramRunner implements ProgramRunner {
  private readonly limit: LimitFunction;

  constructor(
    private readonly settings: SpawnRunnerSettings,
    private readonly listener: ProgramRunListener | null = null,
  ) {
    this.limit = pLimit(settings.concurrency);
  }

  available(program: ProgramName): boolean {
    return this.settings.programs[program] !== null;
  }

  /** Runs waiting for a slot, for tests and diagnostics. */
  get pending(): number {
    return this.limit.pendingCount;
  }

  async run(run: ProgramRun): Promise<ProgramResult> {
    const started = Date.now();
    const file = this.settings.programs[run.program];
    const result =
      file === null
        ? { outcome: 'unavailable' as const, exitCode: null, stdout: empty, stderr: empty }
        : await this.limit(() => this.spawnOnce(file, run));
    this.listener?.onRunFinished(run, result, Date.now() - started);
    return result;
  }

  private spawnOnce(file: string, run: ProgramRun): Promise<ProgramResult> {
    return new Promise((resolve) => {
      const stdio: StdioOptions = [run.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'];
      if (run.inputFd !== undefined) stdio.push(run.inputFd);
      const child = spawn(file, [...run.args], {
        stdio,
        shell: false,
        // Its own process group, so a kill reaches anything it started.
        detached: true,
        // Nothing of the server's environment (proxy settings, credentials) reaches the child.
        env: { LC_ALL: 'C' },
        cwd: this.settings.cwd ?? tmpdir(),
        windowsHide: true,
      });
      lowerPriority(child.pid);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let stdoutBytes = 0;
      let stderrBytes = 0;
      let outcome: RunOutcome = 'exited';
      const kill = (why: RunOutcome): void => {
        if (outcome === 'exited') outcome = why;
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      };
      const timer = setTimeout(() => kill('timeout'), this.settings.timeoutSeconds * 1000);
      child.stdout?.on('data', (chunk: Buffer) => {
        stdoutBytes += chunk.length;
        if (stdoutBytes > run.maxStdoutBytes) kill('output-limit');
        else stdout.push(chunk);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        stderrBytes += chunk.length;
        if (stderrBytes > STDERR_MAX_BYTES) kill('output-limit');
        else stderr.push(chunk);
      });
      if (run.stdin !== undefined && child.stdin !== null) {
        // A child that has read enough closes its stdin: EPIPE is expected then.
        child.stdin.on('error', () => undefined);
        run.stdin.on('error', () => child.stdin?.destroy());
        run.stdin.pipe(child.stdin);
      }
      let settled = false;
      const finish = (result: ProgramResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        run.stdin?.destroy();
        resolve(result);
      };
      child.on('error', () => finish({ outcome: 'spawn-failed', exitCode: null, stdout: empty, stderr: empty }));
      child.on('close', (code) => {
        finish({ outcome, exitCode: code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) });
      });
    });
  }
}

/**
 * The lowest CPU priority for a program: a poster's decode (seconds of CPU
 * for a long video) or a probe must never take CPU from the server's
 * streams. Set right after the spawn; the first milliseconds may run at the
 * default. (It does not make the spawn itself cheaper: see the note on probes
 * of very large libraries in docs/http-interface.md.)
 *
 * The program leads its own session (its process group is what a timeout
 * kills), and Linux puts each session in its own scheduling autogroup, where
 * a process's niceness counts only against its own group: the group's
 * niceness is lowered too, or the program still gets as much CPU as the server.
 */
function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, PROGRAM_NICENESS);
    writeFileSync(`/proc/${pid}/autogroup`, String(PROGRAM_NICENESS));
  } catch {
    // Already gone, not Linux, or not permitted: the program runs at a higher priority.
  }
}
