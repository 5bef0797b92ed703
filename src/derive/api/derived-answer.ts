import { StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import type { AccessService } from '../../access/access.service.js';

/** What the poster and subtitle services answer: a status, its headers and (GET 200) a body. */
export interface DerivedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | Readable | null;
}

/**
 * Puts a derived answer on the response the way both derived routes must:
 * signed caching rules first, then status and headers; no body on 304.
 */
export function sendDerivedAnswer(
  answer: DerivedAnswer,
  request: Request,
  response: Response,
  access: AccessService | null,
  cacheMaxAge: number,
): StreamableFile | undefined {
  access?.restrictCaching(answer.headers, access.grantOf(request), cacheMaxAge);
  response.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  if (answer.status === 304) return undefined;
  // HEAD: an empty body of our own, so Express's send() cannot turn the
  // answer into a 304 by its own looser freshness check.
  const body = answer.body ?? Buffer.alloc(0);
  return body instanceof Readable ? new StreamableFile(body) : new StreamableFile(body);
}
