import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings for a small resident footprint (issue 14), applied from inside the
 * service so that they hold for `npm start`, `node dist/main.js` and any image
 * that runs it without flags.
 *
 * While ~1,200 modules load, V8's young generation grows to its maximum (2 x 16
 * MiB) and stays committed at rest: ~25 MiB of the idle RSS. --optimize-for-size
 * is one of the few heap settings V8 reads while running rather than when the
 * heap is created, and with it on during the start the young generation stays at
 * a few MiB. It also makes V8 favour memory over speed in general (kept on, S3's
 * requests per CPU-second fell by about a fifth), so it is switched off once the
 * service listens: under load the young generation grows as before.
 *
 * Node warns that flags changed after V8 started may do nothing or misbehave;
 * this one is read by the heap's growth heuristics as they run, which is what
 * bench/idle-rss.mjs measures (idle RSS 126 -> ~99 MiB, medians of 3).
 *
 * Heap sizes themselves (--max-semi-space-size, --max-old-space-size) are fixed
 * when the heap is created and only work on the node command line or in
 * NODE_OPTIONS. An explicit --[no-]optimize-for-size on the command line wins.
 */
const chosenOnCommandLine = process.execArgv.some((arg) => /^--(no-)?optimize[-_]for[-_]size$/.test(arg));

/** Before the service's modules are imported (main.ts). */
export function tuneHeapForStart(): void {
  if (!chosenOnCommandLine) setFlagsFromString('--optimize-for-size');
}

/** Once the service listens: from here on requests' speed comes first. */
export function endStartHeapTuning(): void {
  if (!chosenOnCommandLine) setFlagsFromString('--no-optimize-for-size');
}
