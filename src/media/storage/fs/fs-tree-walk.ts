import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { malformedIdReason } from '../media-id.js';
import { MediaTypes } from '../media-types.js';
import { isAbsent } from './fs-media-root.js';

/**
 * IDs of the candidate files below `root`: not hidden, media by name,
 * well-formed. Links are candidates (the open checks decide on them), but
 * folders reached through links are not walked.
 */
export async function collectCandidateIds(root: string, types: MediaTypes): Promise<string[]> {
  const ids: string[] = [];
  await collect(root, root, types, ids);
  return ids;
}

async function collect(root: string, folder: string, types: MediaTypes, ids: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (isAbsent(error)) return;
    throw error;
  }
  const folders: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    const id = path.relative(root, full).split(path.sep).join('/');
    // A name the API would refuse (a backslash, a control character, too
    // long) is not listed: its streamUrl could never be followed.
    if (malformedIdReason(id) !== null) continue;
    if (entry.isDirectory()) {
      folders.push(full);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && types.isMedia(entry.name)) {
      ids.push(id);
    }
  }
  for (const sub of folders) await collect(root, sub, types, ids);
}

/**
 * Maps `inputs` through `task` with at most `concurrency` at once, keeping
 * the non-null results. Each check holds a descriptor for a moment, so a
 * folder of 100,000 files cannot exhaust the process's descriptors.
 */
export async function mapBounded<T, R>(inputs: readonly T[], concurrency: number, task: (input: T) => Promise<R | null>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const result = await task(inputs[next++]);
      if (result !== null) results.push(result);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
