import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { finished } from 'node:stream';

/**
 * The listeners of each connection waiting for it to close. A client may
 * pipeline any number of requests on one connection: one 'close' listener per
 * connection, not per request, or Node warns of a listener leak.
 */
const closeListeners = new WeakMap<Socket, Set<() => void>>();

/**
 * Calls `listener` once, when the response has finished or failed, or when
 * its connection has closed. finished() alone misses the last case for a
 * pipelined response still queued behind another: it has no socket yet.
 */
export function onResponseDone(response: ServerResponse, listener: () => void): void {
  const connection = response.req.socket;
  let waiting: Set<() => void> | undefined;
  let done = false;
  const settle = (): void => {
    if (done) return;
    done = true;
    waiting?.delete(settle);
    listener();
  };
  finished(response, settle);
  if (connection.destroyed) {
    process.nextTick(settle);
    return;
  }
  waiting = closeListeners.get(connection);
  if (waiting === undefined) {
    const listeners = new Set<() => void>();
    closeListeners.set(connection, listeners);
    connection.once('close', () => {
      closeListeners.delete(connection);
      for (const notify of listeners) notify();
    });
    waiting = listeners;
  }
  waiting.add(settle);
}
