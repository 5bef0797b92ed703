import net from 'node:net';

/** A raw TCP client for what HTTP clients hide: pipelining, stalls, trickled heads. */
export class RawClient {
  readonly socket: net.Socket;
  private data = Buffer.alloc(0);
  readonly closed: Promise<void>;
  private readonly waiters = new Set<() => void>();

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
      for (const notify of this.waiters) notify();
    });
    this.socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => this.socket.on('close', () => resolve()));
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
  }

  write(text: string): void {
    this.socket.write(text);
  }

  received(): Buffer {
    return this.data;
  }

  /** Resolves once at least `count` bytes have arrived. */
  waitFor(count: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.data.length >= count) {
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
      void this.closed.then(() => {
        if (this.data.length < count) reject(new Error(`closed after ${this.data.length} of ${count} bytes`));
      });
      check();
    });
  }
}

/** Whether a new TCP connection to the port is refused now. */
export function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** Splits raw HTTP/1.1 bytes into responses with a Content-Length body. */
export function splitResponses(raw: Buffer): { head: string; status: number; body: Buffer }[] {
  const responses: { head: string; status: number; body: Buffer }[] = [];
  let offset = 0;
  while (offset < raw.length) {
    const headEnd = raw.indexOf('\r\n\r\n', offset);
    if (headEnd === -1) break;
    const head = raw.subarray(offset, headEnd).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    const body = raw.subarray(headEnd + 4, headEnd + 4 + length);
    responses.push({ head, status: Number(head.split(' ')[1]), body });
    offset = headEnd + 4 + length;
  }
  return responses;
}
