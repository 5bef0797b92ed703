import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import type { Request } from 'express';
import { AccessService } from '../access.service.js';

/**
 * Lets a request for an item (the route's `:id`) through only with a valid
 * link in signed mode, before any pipe or handler asks storage. The handler
 * reads the grant with AccessService.grantOf(request). Without AccessModule
 * (an app that imports MediaModule alone) everything is public, as before.
 */
@Injectable()
export class ItemAccessGuard implements CanActivate {
  constructor(@Optional() @Inject(AccessService) private readonly access: AccessService | null = null) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.access === null) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const id = request.params.id;
    // A route without :id is a wiring mistake, refused rather than let through.
    const grant = this.access.authorizeItem(typeof id === 'string' ? id : '\0', request.query as Record<string, unknown>);
    this.access.remember(request, grant);
    return true;
  }
}
