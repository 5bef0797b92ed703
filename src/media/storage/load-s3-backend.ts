/**
 * The S3 backend and the AWS SDK under it, imported on first use: with
 * MEDIA_BACKEND=fs they are never loaded (start time, resident memory). One
 * shared import, so providers made at the same time wait on the same module.
 */
let loading: Promise<typeof import('./s3/s3-backend.js')> | null = null;

export function loadS3Backend(): Promise<typeof import('./s3/s3-backend.js')> {
  loading ??= import('./s3/s3-backend.js');
  return loading;
}
