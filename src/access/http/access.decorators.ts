import { UseFilters, UseGuards, UseInterceptors, applyDecorators } from '@nestjs/common';
import { AccessDeniedHtmlFilter } from './access-denied-html.filter.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { ItemAccessGuard } from './item-access.guard.js';
import { PrivateLibraryGuard } from './private-library.guard.js';
import { SignedUrlsInterceptor } from './signed-urls.interceptor.js';

/** An item route under /api/ (stream, poster, subtitles): a valid link in signed mode, else 403 JSON. */
export const SignedItem = (): MethodDecorator & ClassDecorator => UseGuards(ItemAccessGuard);

/** An item's page (/watch, /embed): as SignedItem, but a refusal is a short HTML page. */
export const SignedItemPage = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseGuards(ItemAccessGuard), UseFilters(AccessDeniedHtmlFilter));

/** A page of the whole library: 403 HTML in signed mode. */
export const PublicLibraryPage = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseGuards(PrivateLibraryGuard), UseFilters(AccessDeniedHtmlFilter));

/** A JSON API route: an API key in signed mode, and the answer's item URLs signed. */
export const ApiKeyProtected = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseGuards(ApiKeyGuard), UseInterceptors(SignedUrlsInterceptor));
