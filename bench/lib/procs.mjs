// Starting, pinning and stopping the processes of a benchmark run.
//
// Every process is spawned `detached`, i.e. as the leader of its own process
// group, so that stopping it with kill(-pid) also reaches anything it forked
// (nginx's worker, npm's shell). The flip side is that a terminal's Ctrl-C no
// longer reaches them, so this module installs the handlers that do, and keeps
// a pid file so that a run killed with SIGKILL can be cleaned up by the next.

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const tracked = new Set();
let pidFile = null;
let stopping = false;

/** True once Ctrl-C (or an error) started the shutdown: failures after that are expected. */
export const isStopping = () => stopping;

/** Absolute path of an executable on PATH (plus the sbin folders, where Debian puts nginx), or null. */
export function findExecutable(name) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** "0,2-4" -> [0, 2, 3, 4] */
function parseCpuList(text) {
  const cpus = [];
  for (const part of text.split(',')) {
    const [a, b] = part.trim().split('-').map(Number);
    if (Number.isInteger(a)) for (let cpu = a; cpu <= (Number.isInteger(b) ? b : a); cpu++) cpus.push(cpu);
  }
  return cpus;
}

/**
 * Which CPU the servers get and which the load generators get, or null when
 * pinning is off or impossible (no taskset, fewer than two CPUs allowed).
 * Taken from our own affinity list rather than assuming "0" and "1", so it also
 * works inside a cpuset that starts elsewhere.
 */
export function planPinning() {
  if (process.env.BENCH_PIN === '0') return { enabled: false, reason: 'BENCH_PIN=0' };
  const taskset = findExecutable('taskset');
  if (taskset === null) return { enabled: false, reason: 'taskset not installed' };
  const out = execFileSync(taskset, ['-cp', String(process.pid)], { encoding: 'utf8' });
  const cpus = parseCpuList(out.slice(out.lastIndexOf(':') + 1));
  if (cpus.length < 2) return { enabled: false, reason: `only CPUs [${cpus}] allowed` };
  return { enabled: true, taskset, serverCpu: cpus[0], clientCpu: cpus[1], allCpus: cpus.join(',') };
}

/** Moves every thread of this process onto one CPU (the orchestrator shares the load generators' CPU). */
export function pinSelf(pinning, cpu) {
  if (!pinning.enabled) return;
  execFileSync(pinning.taskset, ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

/**
 * Spawns argv as its own process group, optionally under `taskset -c cpu`
 * (taskset execs the command, so the pid we get is the real server's pid,
 * which is what the RSS sampler needs).
 *
 * Returns { name, pid, child, exited } where `exited` resolves with
 * { code, signal } and `exitInfo` is set once it has exited.
 */
export function spawnTracked(name, argv, { pinning, cpu, env, cwd, stdout = 'ignore', stderr = 'ignore' } = {}) {
  const pinned = pinning?.enabled && cpu !== undefined;
  const [command, ...args] = pinned ? [pinning.taskset, '-c', String(cpu), ...argv] : argv;
  const child = spawn(command, args, {
    cwd,
    env: env ?? process.env,
    detached: true,
    stdio: ['ignore', stdout, stderr],
  });
  const proc = { name, pid: child.pid, child, exitInfo: null };
  proc.exited = new Promise((resolve) => {
    child.once('error', (error) => {
      proc.exitInfo = { code: null, signal: null, error: error.message };
      tracked.delete(proc);
      writePidFile();
      resolve(proc.exitInfo);
    });
    child.once('exit', (code, signal) => {
      proc.exitInfo = { code, signal };
      tracked.delete(proc);
      writePidFile();
      resolve(proc.exitInfo);
    });
  });
  if (child.pid !== undefined) {
    tracked.add(proc);
    writePidFile();
  }
  return proc;
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Stops one tracked process group: SIGTERM, then SIGKILL after graceMs. */
export async function stopProcess(proc, graceMs = 3000) {
  if (proc.exitInfo !== null || proc.pid === undefined) return;
  killGroup(proc.pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(proc.pid, 'SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
  // The leader is gone; make sure nothing of its group (nginx's worker) lingers.
  killGroup(proc.pid, 'SIGKILL');
}

export async function stopAll() {
  await Promise.all([...tracked].map((proc) => stopProcess(proc)));
}

/** Last resort from the synchronous 'exit' event: no time to wait politely. */
function killAllSync() {
  for (const proc of tracked) killGroup(proc.pid, 'SIGKILL');
  tracked.clear();
  writePidFile();
}

function writePidFile() {
  if (pidFile === null) return;
  const entries = [...tracked].map((proc) => ({ name: proc.name, pid: proc.pid, cmdline: readCmdline(proc.pid) }));
  try {
    fs.writeFileSync(pidFile, JSON.stringify(entries));
  } catch {
    // best effort
  }
}

function readCmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Kills the process groups a previous run left behind (it was SIGKILLed, so
 * its handlers never ran). A pid is only killed while its command line is still
 * the one recorded, so a recycled pid of someone else's process is left alone.
 */
export function reapStale(file) {
  pidFile = file;
  let entries = [];
  try {
    entries = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  const reaped = [];
  for (const { name, pid, cmdline } of entries) {
    if (cmdline && readCmdline(pid) === cmdline) {
      killGroup(pid, 'SIGKILL');
      reaped.push(`${name} (pid ${pid})`);
    }
  }
  writePidFile();
  return reaped;
}

/** Ctrl-C, SIGTERM, an uncaught error: stop every process group we started, then exit. */
export function installCleanupHandlers() {
  const stopThenExit = async (code, why) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n[bench] ${why}: stopping ${tracked.size} process group(s)...`);
    const hardStop = setTimeout(() => {
      killAllSync();
      process.exit(code);
    }, 8000);
    hardStop.unref();
    await stopAll();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => void stopThenExit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1), signal));
  }
  process.on('uncaughtException', (error) => {
    console.error(error);
    void stopThenExit(1, 'uncaught error');
  });
  process.on('unhandledRejection', (error) => {
    console.error(error);
    void stopThenExit(1, 'unhandled rejection');
  });
  process.on('exit', killAllSync);
}

// --- CPU time of the load generators ------------------------------------------------

/**
 * CPU seconds used by our children that have exited and been waited for
 * (cutime + cstime of /proc/self/stat). Read before and after a load
 * generator runs, the difference is that generator's CPU time — also for wrk,
 * which cannot report its own.
 */
export function childCpuSeconds() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17,
    // in USER_HZ ticks, which Linux fixes at 100 for /proc.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}
