import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
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

/** Answers every error as the contract's JSON, without stack traces or paths. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const status = statusOf(exception);
    if (status >= 500) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (response.headersSent) {
      // A body is under way: cutting the connection is the only honest signal.
      response.destroy();
      return;
    }
    response.status(status).json({
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message:
        exception instanceof ApiError
          ? exception.publicMessage
          : (FIXED_MESSAGES[status] ?? STATUS_CODES[status] ?? 'Error'),
    });
  }
}

function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) {
    return exception.getStatus();
  }
  // Errors raised by Express or its body and URI decoding carry a status.
  const carrier = (typeof exception === 'object' && exception !== null ? exception : {}) as StatusCarrier;
  const status = carrier.status ?? carrier.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}
