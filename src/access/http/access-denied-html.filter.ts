import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { AccessDeniedError } from '../access-errors.js';

/**
 * The pages answer a refused link with a short HTML page rather than the
 * API's JSON: a person opened it in a browser. Written here, not with the
 * player's layout, so that the access check depends on no page code.
 */
@Catch(AccessDeniedError)
export class AccessDeniedHtmlFilter implements ExceptionFilter<AccessDeniedError> {
  catch(error: AccessDeniedError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    // The messages are fixed strings without markup (see AccessDeniedError).
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>403 · Media library</title></head>
<body><h1>403</h1><p>${error.publicMessage as string}</p></body></html>
`;
    response.statusCode = 403;
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Content-Length', Buffer.byteLength(html));
    response.end(html);
  }
}
