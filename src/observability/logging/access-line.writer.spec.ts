import { pino, type Logger, type LoggerOptions } from 'pino';
import { type AccessLevel, type AccessLine, AccessLineWriter } from './access-line.writer.js';

/** A destination that keeps what it is given. */
class Capture {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }
}

const FIXED_TIME = { timestamp: () => ',"time":1796358126401' };

function loggerWith(options: LoggerOptions = {}): { logger: Logger; capture: Capture } {
  const capture = new Capture();
  return { logger: pino({ level: 'info', ...FIXED_TIME, ...options }, capture), capture };
}

/** What the RequestObserver logged before the writer: pino's own call. */
function pinoText(options: LoggerOptions, level: AccessLevel, line: AccessLine, msg: string, child?: Record<string, unknown>): string {
  const { logger, capture } = loggerWith(options);
  (child === undefined ? logger : logger.child(child))[level](
    {
      req: { id: line.id, method: line.method, url: line.url, remoteAddress: line.remoteAddress },
      res: { statusCode: line.statusCode },
      responseTime: line.responseTime,
      bytesSent: line.bytesSent,
      aborted: line.aborted,
    },
    msg,
  );
  return capture.lines.join('');
}

function writerText(options: LoggerOptions, level: AccessLevel, line: AccessLine, msg: string, child?: Record<string, unknown>): string {
  const { logger, capture } = loggerWith(options);
  new AccessLineWriter(child === undefined ? logger : logger.child(child)).write(level, line, msg);
  return capture.lines.join('');
}

const BASE: AccessLine = {
  id: 'Qfywy6S3-1',
  method: 'GET',
  url: '/api/videos/mid.mp4/stream?expires=1796440672&signature=[REDACTED]',
  remoteAddress: '127.0.0.1',
  statusCode: 206,
  responseTime: 0.42,
  bytesSent: 4096,
  aborted: false,
};

const CASES: Array<[string, AccessLine]> = [
  ['a range answered', BASE],
  ['no address (the connection was already gone)', { ...BASE, remoteAddress: undefined }],
  ['an aborted download', { ...BASE, aborted: true, bytesSent: 1_048_576, responseTime: 1234.5 }],
  ['a URL with quotes, backslashes, controls and non-ASCII', { ...BASE, url: '/api/videos/a"b\\c\u0001\u2028é😀/stream?x=%22' }],
  ['lone surrogates and a DEL', { ...BASE, url: '/a\ud800b\udfffc\u007f/stream', id: 'x\ud83d' }],
  ['an IPv6 address', { ...BASE, remoteAddress: '::ffff:10.0.0.1' }],
  ['a HEAD of a 304', { ...BASE, method: 'HEAD', statusCode: 304, bytesSent: 0, responseTime: 0 }],
  ['a client ID of every allowed character', { ...BASE, id: 'Az09._-'.repeat(18).slice(0, 128) }],
];

describe('AccessLineWriter', () => {
  it.each(CASES)('writes the same text as pino for %s', (_name, line) => {
    expect(writerText({}, 'info', line, 'request completed')).toBe(pinoText({}, 'info', line, 'request completed'));
  });

  it('writes error lines at the error level, as pino does', () => {
    const line = { ...BASE, statusCode: 500 };
    const text = writerText({}, 'error', line, 'request aborted');
    expect(text).toBe(pinoText({}, 'error', line, 'request aborted'));
    expect(JSON.parse(text)).toMatchObject({ level: 50, msg: 'request aborted', res: { statusCode: 500 } });
  });

  it("carries a child logger's bindings and pino's default time and base", () => {
    const child = { context: 'http' };
    const real = (options: LoggerOptions): LoggerOptions => ({ ...options, timestamp: pino.stdTimeFunctions.epochTime });
    const parsed = JSON.parse(writerText(real({}), 'info', BASE, 'request completed', child)) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: 30, pid: process.pid, context: 'http', req: { id: BASE.id } });
    expect(typeof parsed.time).toBe('number');
    expect(writerText({}, 'info', BASE, 'm', child)).toBe(pinoText({}, 'info', BASE, 'm', child));
  });

  it.each<[string, LoggerOptions]>([
    ['a mixin', { mixin: () => ({ extra: 1 }) }],
    ['a log formatter', { formatters: { log: (object) => ({ wrapped: object }) } }],
    ['a nested key', { nestedKey: 'payload' }],
    ['another message key', { messageKey: 'message' }],
    ['a level formatter', { formatters: { level: (label) => ({ severity: label }) } }],
    ['no base', { base: null }],
  ])('leaves a logger with %s to pino, so its lines keep their shape', (_name, options) => {
    expect(writerText(options, 'info', BASE, 'request completed')).toBe(pinoText(options, 'info', BASE, 'request completed'));
  });

  it('writes one line per call, ending in a newline', () => {
    const { logger, capture } = loggerWith();
    const writer = new AccessLineWriter(logger);
    writer.write('info', BASE, 'request completed');
    writer.write('info', { ...BASE, id: 'second' }, 'request completed');
    expect(capture.lines).toHaveLength(2);
    for (const text of capture.lines) {
      expect(text.endsWith('}\n')).toBe(true);
      expect(text.indexOf('\n')).toBe(text.length - 1);
    }
    expect(JSON.parse(capture.lines[1])).toMatchObject({ req: { id: 'second' } });
  });
});
