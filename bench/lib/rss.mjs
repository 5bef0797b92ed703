// Resident memory of a server, read from /proc (Linux only; elsewhere the
// numbers come out as null and S4 reports nothing rather than failing).

import fs from 'node:fs';

/** VmRSS of one pid in KiB, or null when it is gone or /proc is missing. */
export function rssKiB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : 0; // a zombie has no VmRSS line
  } catch {
    return null;
  }
}

/** Direct children of pid (nginx's worker is the master's child). */
export function childPids(pid) {
  // /proc/<pid>/task/<tid>/children is fast but needs CONFIG_PROC_CHILDREN;
  // scanning every /proc/<n>/stat for its parent works everywhere.
  try {
    const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    if (text) return text.split(/\s+/).map(Number);
  } catch {
    // fall through to the scan
  }
  const children = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return children;
}

/** Sum of VmRSS over pids, in KiB; null when none of them could be read. */
export function totalRssKiB(pids) {
  let total = null;
  for (const pid of pids) {
    const kib = rssKiB(pid);
    if (kib !== null) total = (total ?? 0) + kib;
  }
  return total;
}

/**
 * Samples the summed RSS of pids() every intervalMs until stop() is called,
 * which returns { peakKiB, lastKiB, samples }. pids is a function so that the
 * caller decides whether to re-resolve children (nginx) on every sample.
 */
export function startRssSampler(pids, intervalMs = 100) {
  let peakKiB = null;
  let lastKiB = null;
  let samples = 0;
  const sample = () => {
    const kib = totalRssKiB(pids());
    if (kib === null) return;
    samples++;
    lastKiB = kib;
    if (peakKiB === null || kib > peakKiB) peakKiB = kib;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakKiB, lastKiB, samples };
    },
  };
}

// --- CPU time, to tell what limited a measurement ----------------------------------------

const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux that Node runs on in practice

/** utime + stime of pids in seconds (pids that are gone count 0). */
export function cpuSecondsOf(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // fields 14 and 15
    } catch {
      // gone
    }
  }
  return ticks / CLOCK_TICKS;
}

/** Busy CPU seconds of the whole machine so far (all CPUs, everything but idle and iowait). */
export function machineBusySeconds() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]; // "cpu  user nice system idle iowait irq softirq steal ..."
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    void idle;
    void iowait;
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
