import { parseAccessSettings } from './access.config.js';
import { parseCatalogSettings } from './catalog.config.js';
import { parseDataSettings } from './data.config.js';
import { parseDeliverySettings } from './delivery.config.js';
import { parseDeriveSettings } from './derive.config.js';
import { Environment } from './env-parsers.js';
import { parseHttpSettings } from './http.config.js';
import { parseMediaSettings } from './media.config.js';
import { parseObservabilitySettings } from './observability.config.js';
import { parseS3Settings } from './s3.config.js';
import { parseServerSettings } from './server.config.js';
import { parseStreamSettings } from './stream.config.js';
import { parseWebSettings } from './web.config.js';

/**
 * Checks every setting before any module is built, so a bad value stops the
 * start with one line instead of a half-configured service.
 */
export function validateEnvironment(env: Environment): Environment {
  parseHttpSettings(env);
  if (parseMediaSettings(env).backend === 's3') {
    parseS3Settings(env);
  }
  parseStreamSettings(env);
  parseWebSettings(env);
  parseAccessSettings(env);
  parseDeliverySettings(env);
  parseDataSettings(env);
  parseDeriveSettings(env);
  parseCatalogSettings(env);
  parseObservabilitySettings(env);
  parseServerSettings(env);
  return env;
}
