import { MediaStorageUnavailableError } from '../media-errors.js';

// The SDK's errors are read by shape, not class: they may come from another
// realm (as under Jest), and S3-compatible servers differ in what they set.
interface SdkErrorShape {
  name?: unknown;
  Code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Reads an SDK error's name and HTTP status without trusting its class (realm-safe). */
function sdkError(error: unknown): { name: string; status: number | undefined } {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : typeof shape.Code === 'string' ? shape.Code : '';
  const status = shape.$metadata?.httpStatusCode;
  return { name, status: typeof status === 'number' ? status : undefined };
}

export function isMissing(error: unknown): boolean {
  const { name, status } = sdkError(error);
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}

export function isChanged(error: unknown): boolean {
  const { name, status } = sdkError(error);
  // A failed If-Match (412), or a range beyond an object that shrank (416).
  return name === 'PreconditionFailed' || name === 'InvalidRange' || status === 412 || status === 416;
}

export function unavailable(action: string, error: unknown): MediaStorageUnavailableError {
  const { name, status } = sdkError(error);
  return new MediaStorageUnavailableError(`S3 ${action} failed: ${name || 'error'} ${status ?? ''}`.trim(), { cause: error });
}
