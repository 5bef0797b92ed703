import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, Optional } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, map } from 'rxjs';
import { AccessService } from '../access.service.js';
import type { SignableVideo } from '../signing/signed-urls.js';

type Signable = SignableVideo & { id: string };

function isSignable(value: unknown): value is Signable {
  const candidate = value as Partial<Signable> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.id === 'string' && typeof candidate.streamUrl === 'string';
}

/**
 * Signs the URLs of the items a JSON route answers (one item, or a page with
 * `items`), so the controllers stay as they are in public mode. Signed
 * answers hold links: for their holder only.
 */
@Injectable()
export class SignedUrlsInterceptor implements NestInterceptor {
  constructor(@Optional() @Inject(AccessService) private readonly access: AccessService | null = null) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const access = this.access;
    if (access === null || !access.signed) return next.handle();
    return next.handle().pipe(
      map((body: unknown) => {
        context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'private, no-store');
        if (isSignable(body)) return access.signView(body);
        const page = body as { items?: unknown } | null;
        if (typeof page === 'object' && page !== null && Array.isArray(page.items)) {
          return { ...page, items: page.items.map((item: unknown) => (isSignable(item) ? access.signView(item) : item)) };
        }
        return body;
      }),
    );
  }
}
