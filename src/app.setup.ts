import type { ConfigType } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import { webConfig } from './config/web.config.js';
import { setupDocs } from './docs.setup.js';

/** Request headers a cross-origin player or script may send. */
const CORS_REQUEST_HEADERS = ['Range', 'If-Range', 'If-Match', 'If-None-Match', 'If-Modified-Since', 'If-Unmodified-Since'];
/** Response headers it may read; the rest are hidden by the browser. */
const CORS_EXPOSED_HEADERS = ['Content-Range', 'Content-Length', 'Accept-Ranges', 'ETag', 'Last-Modified', 'Content-Disposition'];

/** Wiring shared by main.ts and the e2e tests, so tests run the real app. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  // Express's own weak ETag of a JSON or error body would sit beside (and
  // contradict) the media's strong one on 412 and 416 answers.
  app.set('etag', false);
  const web = app.get<ConfigType<typeof webConfig>>(webConfig.KEY);
  // No CORS headers at all by default: browsers then keep other origins out.
  if (web.corsOrigins.length > 0) {
    app.enableCors({
      origin: web.corsOrigins[0] === '*' ? '*' : web.corsOrigins,
      methods: ['GET', 'HEAD'],
      allowedHeaders: CORS_REQUEST_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      maxAge: 600,
    });
  }
  app.useGlobalFilters(new ApiExceptionFilter());
  setupDocs(app);
  return app;
}

/** Options for NestFactory.create: no request bodies are ever read. */
export const APP_OPTIONS = { bodyParser: false } as const;
