import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * main.js of the service as `npm run build` makes it, built once per Jest run
 * into dist-e2e/ by the e2e project's globalSetup (support/build-service.mjs).
 */
export function builtService(): string {
  return path.join(repoRoot, 'dist-e2e', 'main.js');
}

/** A port that was free a moment ago: listen on 0, note the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type LogLine = Record<string, unknown> & { msg?: string; req?: Record<string, unknown>; res?: Record<string, unknown> };

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  /** Every stdout line so far, parsed (a line that is not JSON fails the test). */
  lines(): LogLine[];
  /** Resolves with the first line (past or future) that `match` accepts. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

const running = new Set<ChildProcess>();

/** Starts `node <mainJs>` on 127.0.0.1 and a free port, resolving once it serves. */
export async function startService(mainJs: string, env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: String(port), ...env };
  const child = spawn(process.execPath, [mainJs], { cwd: path.dirname(env.MEDIA_ROOT ?? repoRoot), env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const notify of waiters) notify();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      for (const notify of waiters) notify();
      resolve({ code, signal, stderr });
    });
  });
  const lines = (): LogLine[] =>
    stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine);
  const waitForLine = (match: (line: LogLine) => boolean, timeoutMs = 60_000): Promise<LogLine> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = lines().find(match);
        if (found !== undefined) finish(() => resolve(found));
        else if (child.exitCode !== null || child.signalCode !== null) finish(() => reject(new Error(`service ended without the line; stderr: ${stderr}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no such log line within ${timeoutMs} ms`))), timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });
  const service = { child, port, baseUrl: `http://127.0.0.1:${port}`, lines, waitForLine, exit };
  await waitForLine((line) => typeof line.msg === 'string' && line.msg.startsWith('Serving media on'));
  return service;
}

/** Kills whatever a test left running. */
export function killServices(): void {
  for (const child of running) child.kill('SIGKILL');
}
