import { HttpException } from '@nestjs/common';

/**
 * An error whose message was written for clients. Every other error is
 * answered with a fixed message for its status, because its own message
 * (from Node, Express or a library) may carry a server path.
 */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly publicMessage: string | string[],
  ) {
    super(publicMessage, status);
  }
}
