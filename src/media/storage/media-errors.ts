/**
 * Storage could not answer (network, credentials, server error). Its message
 * is for logs only; clients get a fixed one.
 */
export class MediaStorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MediaStorageUnavailableError';
  }
}

/** The item changed between reading its metadata and reading its bytes. */
export class MediaChangedError extends Error {
  constructor(message = 'the media item changed while it was read') {
    super(message);
    this.name = 'MediaChangedError';
  }
}
