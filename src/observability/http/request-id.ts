import { randomBytes } from 'node:crypto';

const ACCEPTED = /^[A-Za-z0-9._-]{1,128}$/;

/** The client's X-Request-Id when it is 1 to 128 of A-Z a-z 0-9 . _ -, else null. */
export function acceptedRequestId(header: string | string[] | undefined): string | null {
  return typeof header === 'string' && ACCEPTED.test(header) ? header : null;
}

/**
 * Makes request IDs unique across processes and restarts without a UUID per
 * request: a random prefix per process and a counter (base 36).
 */
export class RequestIdGenerator {
  private readonly prefix = randomBytes(6).toString('base64url');
  private counter = 0;

  next(): string {
    this.counter++;
    return `${this.prefix}-${this.counter.toString(36)}`;
  }
}
