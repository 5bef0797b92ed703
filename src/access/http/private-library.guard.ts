import { CanActivate, Inject, Injectable, Optional } from '@nestjs/common';
import { AccessDeniedError } from '../access-errors.js';
import { AccessService } from '../access.service.js';

/** A page that lists the whole library (`/`): none in signed mode, whatever the request carries. */
@Injectable()
export class PrivateLibraryGuard implements CanActivate {
  constructor(@Optional() @Inject(AccessService) private readonly access: AccessService | null = null) {}

  canActivate(): boolean {
    if (this.access?.signed === true) throw new AccessDeniedError('private');
    return true;
  }
}
