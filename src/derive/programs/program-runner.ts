import type { Readable } from 'node:stream';
import type { ProgramName } from './program-locator.js';

/** Why a run is made: the label metrics and logs group runs by. */
export type RunPurpose = 'probe' | 'poster';

/** One run of an outside program. Arguments go to it as an array, never through a shell. */
export interface ProgramRun {
  program: ProgramName;
  purpose: RunPurpose;
  args: readonly string[];
  /** A descriptor storage opened for the input, handed to the child as its fd 3. */
  inputFd?: number;
  /** Bytes fed to the child's stdin (the input as `pipe:0`), for inputs with no descriptor. */
  stdin?: Readable;
  /** Stdout bytes kept; a child that writes more is killed (outcome `output-limit`). */
  maxStdoutBytes: number;
}

/**
 * How a run ended: `exited` (see exitCode), `timeout` (killed after
 * PROBE_TIMEOUT_SECONDS), `output-limit` (killed for writing too much),
 * `unavailable` (the program was not found at start), `spawn-failed`.
 */
export type RunOutcome = 'exited' | 'timeout' | 'output-limit' | 'unavailable' | 'spawn-failed';

export interface ProgramResult {
  outcome: RunOutcome;
  exitCode: number | null;
  stdout: Buffer;
  /** At most the runner's stderr bound; for diagnostics, never sent to clients. */
  stderr: Buffer;
}

/**
 * The only way the service starts outside programs: queued (at most
 * PROBE_CONCURRENCY at once across probes and posters), each in its own
 * process group killed after PROBE_TIMEOUT_SECONDS, output bounded, a
 * minimal environment, and a working folder that is not the media root.
 */
export interface ProgramRunner {
  /** True when the program was found at start. */
  available(program: ProgramName): boolean;
  /** Never rejects: every failure is an outcome. */
  run(run: ProgramRun): Promise<ProgramResult>;
}

export const PROGRAM_RUNNER = Symbol('PROGRAM_RUNNER');

/**
 * Told of every finished run, in one place: the hook for metrics such as
 * `media_probe_runs_total{result}` (bind one under PROGRAM_RUN_LISTENER).
 */
export interface ProgramRunListener {
  onRunFinished(run: ProgramRun, result: ProgramResult, durationMs: number): void;
}

export const PROGRAM_RUN_LISTENER = Symbol('PROGRAM_RUN_LISTENER');
