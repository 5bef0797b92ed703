import { ApiError } from '../../common/api-error.js';
import { MediaChangedError, MediaStorageUnavailableError } from './media-errors.js';

/** Storage failures as HTTP answers with fixed messages; other errors pass through. */
export function storageErrorToHttp(error: unknown): unknown {
  if (error instanceof MediaStorageUnavailableError) {
    return new ApiError(503, 'The media storage is unavailable; try again later.');
  }
  if (error instanceof MediaChangedError) {
    return new ApiError(503, 'The media item changed while it was read; try again.');
  }
  return error;
}

/** Runs a storage call, turning its failures into HTTP answers. */
export async function withStorageErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw storageErrorToHttp(error);
  }
}
