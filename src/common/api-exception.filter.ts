import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { answerWithError } from './error-response.js';

/** Answers every error as the contract's JSON, without stack traces or paths. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    answerWithError(host.switchToHttp().getResponse<ServerResponse>(), exception, this.logger);
  }
}
