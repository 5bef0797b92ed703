import { HttpException, type LoggerService } from '@nestjs/common';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { ApiError } from './api-error.js';

const FIXED_MESSAGES: Record<number, string> = {
  400: 'The request is malformed.',
  404: 'Nothing is served at this address.',
  405: 'This method is not allowed here.',
  412: 'A precondition of the request failed.',
  416: 'No requested range can be satisfied.',
  500: 'The server failed to answer the request.',
};

interface StatusCarrier {
  status?: unknown;
  statusCode?: unknown;
}

/** The status an error is answered with: its own when it is an HTTP error, else 500. */
export function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) {
    return exception.getStatus();
  }
  // Errors raised by Express or its body and URI decoding carry a status.
  const carrier = (typeof exception === 'object' && exception !== null ? exception : {}) as StatusCarrier;
  const status = carrier.status ?? carrier.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

/**
 * Answers a request that failed with `exception`: the contract's JSON when no
 * byte has been sent yet, else a cut connection, the only honest signal once
 * a body is under way. Server errors are logged, never sent.
 */
export function answerWithError(response: ServerResponse, exception: unknown, logger: LoggerService): void {
  const status = statusOf(exception);
  if (status >= 500) {
    logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  }
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendErrorResponse(response, status, exception);
}

/**
 * Sends the contract's JSON error for `exception` with status `status`,
 * keeping headers already set (Allow, Content-Range). Written with Node's own
 * API rather than Express's `res.json()`, because the stream route's fast path
 * answers without Express and both must send the same bytes.
 */
export function sendErrorResponse(response: ServerResponse, status: number, exception: unknown): void {
  const body = JSON.stringify({
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    // Only messages written for clients are sent: any other (from Node, Express
    // or a library) may carry a server path.
    message:
      exception instanceof ApiError ? exception.publicMessage : (FIXED_MESSAGES[status] ?? STATUS_CODES[status] ?? 'Error'),
  });
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(body);
}
