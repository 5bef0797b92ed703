import { ConfigValidationError } from './config-validation.error.js';

export type Environment = Record<string, string | undefined>;

/** The raw value, or undefined when unset or blank (blank means "use the default"). */
export function rawValue(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function integerSetting(
  env: Environment,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = rawValue(env, name);
  if (raw === undefined) {
    return fallback;
  }
  if (!/^-?[0-9]+$/.test(raw)) {
    throw new ConfigValidationError(name, `must be a whole number, got "${raw}"`);
  }
  // `+ 0` turns -0 into 0; a minus sign is still refused unless min < 0.
  const value = Number(raw) + 0;
  if (!Number.isSafeInteger(value) || value < min || value > max || (raw.startsWith('-') && min >= 0)) {
    throw new ConfigValidationError(name, `must be between ${min} and ${max}, got ${raw}`);
  }
  return value;
}
