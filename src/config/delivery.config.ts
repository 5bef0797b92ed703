import { registerAs } from '@nestjs/config';
import { ConfigValidationError } from './config-validation.error.js';
import { Environment, integerSetting, rawValue } from './env-parsers.js';

export type S3Delivery = 'proxy' | 'redirect';

export interface DeliverySettings {
  /** With MEDIA_BACKEND=s3: stream the bytes through the service, or redirect to a presigned URL. */
  s3Delivery: S3Delivery;
  /** Lifetime of a presigned URL. */
  s3RedirectSeconds: number;
}

/** SigV4's own limit on a presigned URL's lifetime: seven days. */
const PRESIGN_MAX_SECONDS = 604_800;

export function parseDeliverySettings(env: Environment): DeliverySettings {
  const raw = (rawValue(env, 'S3_DELIVERY') ?? 'proxy').toLowerCase();
  if (raw !== 'proxy' && raw !== 'redirect') {
    throw new ConfigValidationError('S3_DELIVERY', `must be "proxy" or "redirect", got "${raw}"`);
  }
  return { s3Delivery: raw, s3RedirectSeconds: integerSetting(env, 'S3_REDIRECT_SECONDS', 300, 1, PRESIGN_MAX_SECONDS) };
}

export const deliveryConfig = registerAs('delivery', () => parseDeliverySettings(process.env));
