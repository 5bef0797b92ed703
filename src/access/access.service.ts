import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { IncomingHttpHeaders } from 'node:http';
import { accessConfig } from '../config/access.config.js';
import { AccessDeniedError, ApiKeyRequiredError } from './access-errors.js';
import { isKnownApiKey, presentedApiKey } from './api-keys/api-key.js';
import { LinkParameters, linkParametersOf, signLink, verifyLink } from './signing/link-signature.js';
import { SignableVideo, signVideoUrls } from './signing/signed-urls.js';

/** What a request for an item was let in with: its link, in signed mode. */
export interface ItemGrant {
  link: LinkParameters;
  /** Unix seconds. */
  expires: number;
}

export const nowInSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * The one access check of the service: every item route (the stream fast
 * path, the Nest routes through ItemAccessGuard, the pages) asks it before
 * storage is asked, so a missing item and a present one answer alike.
 */
@Injectable()
export class AccessService {
  /** The grants that guards let in, for the handlers behind them. */
  private readonly grants = new WeakMap<object, ItemGrant>();

  constructor(@Inject(accessConfig.KEY) private readonly settings: ConfigType<typeof accessConfig>) {}

  get signed(): boolean {
    return this.settings.mode === 'signed';
  }

  /**
   * Null in public mode; in signed mode the grant of a valid link for `id`
   * (`query` parsed as querystring does: a repeated parameter is an array),
   * else throws AccessDeniedError.
   */
  authorizeItem(id: string, query: Readonly<Record<string, unknown>>, now = nowInSeconds()): ItemGrant | null {
    if (!this.signed) return null;
    const link = linkParametersOf(query);
    const verdict = verifyLink(this.settings.signingKeys, id, link, now);
    if (verdict !== 'valid' || link === null) throw new AccessDeniedError(verdict === 'expired' ? 'expired' : 'invalid');
    return { link, expires: Number(link.expires) };
  }

  /** Throws ApiKeyRequiredError in signed mode unless the headers carry a known API key. */
  authorizeApi(headers: IncomingHttpHeaders): void {
    if (this.signed && !isKnownApiKey(this.settings.apiKeys, presentedApiKey(headers))) {
      throw new ApiKeyRequiredError();
    }
  }

  /** A link to `id` valid for `lifetime` seconds, signed with the first key. */
  mint(id: string, lifetime = this.settings.linkTtlSeconds, now = nowInSeconds()): LinkParameters {
    return signLink(this.settings.signingKeys[0], id, now + lifetime);
  }

  /** The item's URLs signed for LINK_TTL_SECONDS in signed mode; the view itself in public mode. */
  signView<T extends SignableVideo & { id: string }>(view: T): T {
    return this.signed ? signVideoUrls(view, this.mint(view.id)) : view;
  }

  /**
   * RFC 9111 5.2.2.6: a signed answer is for its holder alone, and no cache
   * may keep it past the link's expiry. Rewrites a media Cache-Control in place.
   */
  restrictCaching(headers: Record<string, string>, grant: ItemGrant | null, cacheMaxAge: number, now = nowInSeconds()): void {
    if (grant === null || headers['Cache-Control'] === undefined) return;
    headers['Cache-Control'] = `private, max-age=${Math.max(0, Math.min(cacheMaxAge, grant.expires - now))}`;
  }

  remember(request: object, grant: ItemGrant | null): void {
    if (grant !== null) this.grants.set(request, grant);
  }

  grantOf(request: object): ItemGrant | null {
    return this.grants.get(request) ?? null;
  }
}
