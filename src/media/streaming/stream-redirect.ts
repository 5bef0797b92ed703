/**
 * Delegated delivery: a GET of the stream route answered with a redirect to
 * where the bytes can be fetched directly (a presigned object store URL),
 * after the access check. Bound to STREAM_REDIRECT only when configured.
 */
export interface StreamRedirect {
  /** The answer for a GET of `id`; throws ApiError(404) when storage holds no such item. */
  redirect(id: string, download: boolean): Promise<StreamRedirectAnswer>;
}

export interface StreamRedirectAnswer {
  status: 302;
  headers: Record<string, string>;
}

export const STREAM_REDIRECT = Symbol('STREAM_REDIRECT');
