import { pino, type Logger } from 'pino';

/** The contract's fields of one access log line. */
export interface AccessLine {
  id: string;
  method: string;
  url: string;
  /** Undefined when the connection was gone before it could be read (then the key is left out, as pino does). */
  remoteAddress: string | undefined;
  statusCode: number;
  /** Milliseconds. */
  responseTime: number;
  bytesSent: number;
  aborted: boolean;
}

export type AccessLevel = 'info' | 'error';

const {
  lsCacheSym,
  timeSym,
  chindingsSym,
  endSym,
  streamSym,
  mixinSym,
  formattersSym,
  hooksSym,
  nestedKeySym,
  msgPrefixSym,
  messageKeySym,
  needsMetadataGsym,
} = pino.symbols as typeof pino.symbols & { readonly msgPrefixSym: symbol }; // msgPrefixSym: missing from pino's types

/** The parts of a pino logger that make up its lines (pino exports the symbols for integrations). */
interface LineParts {
  prefixes: Readonly<Record<number, string>>;
  time: () => string;
  chindings: () => string;
  end: string;
  stream: { write(line: string): unknown };
}

/**
 * Writes access lines as exactly the text `logger[level](object, msg)` writes
 * for the contract's object (the level, time and bindings pino puts first, the
 * same keys in the same order, the same end), straight to the logger's stream.
 *
 * Why not through pino's call: its line builder is generic (a for-in over the
 * object, a serializer and stringifier lookup per key, JSON.stringify per
 * nested object) and, being shared by every log call in the process, runs
 * megamorphic. Counted under callgrind, the access line was most of what
 * logging added to a 4 KiB range request; a template of this one fixed shape
 * costs a fraction of it. A logger whose lines pino would shape differently
 * (a mixin, a log formatter, a nested key, a message prefix, a write hook, a
 * multistream) is left to pino. The unit spec compares both texts.
 */
export class AccessLineWriter {
  private readonly parts: LineParts | null;

  constructor(private readonly logger: Logger) {
    this.parts = linePartsOf(logger);
  }

  write(level: AccessLevel, line: AccessLine, msg: string): void {
    const parts = this.parts;
    if (parts === null) {
      this.logger[level](
        {
          req: { id: line.id, method: line.method, url: line.url, remoteAddress: line.remoteAddress },
          res: { statusCode: line.statusCode },
          responseTime: line.responseTime,
          bytesSent: line.bytesSent,
          aborted: line.aborted,
        },
        msg,
      );
      return;
    }
    const address = line.remoteAddress === undefined ? '' : `,"remoteAddress":${quoted(line.remoteAddress)}`;
    parts.stream.write(
      `${parts.prefixes[this.logger.levels.values[level]]}${parts.time()}${parts.chindings()}` +
        `,"req":{"id":${quoted(line.id)},"method":${quoted(line.method)},"url":${quoted(line.url)}${address}}` +
        `,"res":{"statusCode":${json(line.statusCode)}},"responseTime":${json(line.responseTime)}` +
        `,"bytesSent":${json(line.bytesSent)},"aborted":${line.aborted},"msg":${quoted(msg)}${parts.end}`,
    );
  }
}

/** What JSON.stringify writes other than as itself: `"`, `\\`, controls, and surrogates (a lone one is escaped). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A string as JSON.stringify writes it. Most strings here (IDs, methods,
 * addresses, plain paths) need no escape, and a regular expression test runs
 * in V8's generated code where JSON.stringify enters the runtime: about a
 * tenth of the instructions per call, counted under callgrind.
 */
function quoted(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** A number as JSON writes it (null for what JSON cannot hold). */
function json(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

function linePartsOf(logger: Logger): LineParts | null {
  const internals = logger as unknown as Record<symbol, unknown>;
  const formatters = internals[formattersSym] as { log?: unknown } | undefined;
  const hooks = internals[hooksSym] as { streamWrite?: unknown } | undefined;
  const stream = internals[streamSym] as (LineParts['stream'] & Record<symbol, unknown>) | undefined;
  const time = internals[timeSym];
  const prefixes = internals[lsCacheSym];
  const end = internals[endSym];
  if (
    internals[mixinSym] ||
    formatters?.log ||
    hooks?.streamWrite ||
    internals[nestedKeySym] ||
    internals[msgPrefixSym] ||
    internals[messageKeySym] !== 'msg' ||
    typeof time !== 'function' ||
    typeof prefixes !== 'object' ||
    prefixes === null ||
    typeof end !== 'string' ||
    typeof stream?.write !== 'function' ||
    stream[needsMetadataGsym] === true
  ) {
    return null;
  }
  return {
    prefixes: prefixes as Record<number, string>,
    time: time as () => string,
    // Read per line: a child's bindings can change (setBindings).
    chindings: () => internals[chindingsSym] as string,
    end,
    stream,
  };
}
