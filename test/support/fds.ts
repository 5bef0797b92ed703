import { readdirSync, readlinkSync } from 'node:fs';

/**
 * Descriptors of this process (the app under test runs in it) whose target
 * passes `match`. Linux only: reads /proc/self/fd.
 */
export function countFds(match: (target: string) => boolean): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (match(readlinkSync(`/proc/self/fd/${fd}`))) count++;
    } catch {
      // closed while listing
    }
  }
  return count;
}

/** Descriptors open on exactly `file`. */
export const fdsOn = (file: string): number => countFds((target) => target === file);

/** Descriptors open on anything below `folder` (or on `folder` itself). */
export const fdsUnder = (folder: string): number => countFds((target) => target.startsWith(folder));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
