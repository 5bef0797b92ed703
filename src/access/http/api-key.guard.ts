import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import { API_KEY_CHALLENGE, ApiKeyRequiredError } from '../access-errors.js';
import { AccessService } from '../access.service.js';

/** The JSON API's routes in signed mode: one of API_KEYS, or 401 with the challenge. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Optional() @Inject(AccessService) private readonly access: AccessService | null = null) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.access === null) return true;
    const http = context.switchToHttp();
    try {
      this.access.authorizeApi(http.getRequest<Request>().headers);
    } catch (error) {
      // Set here, not by the filter: the error writer keeps headers already set.
      if (error instanceof ApiKeyRequiredError) http.getResponse<Response>().setHeader('WWW-Authenticate', API_KEY_CHALLENGE);
      throw error;
    }
    return true;
  }
}
