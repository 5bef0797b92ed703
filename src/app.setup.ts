import type { ConfigType } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import corsMiddleware from 'cors';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import { webConfig } from './config/web.config.js';
import { setupDocs } from './docs.setup.js';
import { StreamFastPath } from './media/api/stream-fast-path.js';
import { serverConfig } from './config/server.config.js';
import { RequestObserver } from './observability/http/request-observer.js';

/** Request headers a cross-origin player or script may send. */
const CORS_REQUEST_HEADERS = ['Range', 'If-Range', 'If-Match', 'If-None-Match', 'If-Modified-Since', 'If-Unmodified-Since'];
/** Response headers it may read; the rest are hidden by the browser. */
const CORS_EXPOSED_HEADERS = ['Content-Range', 'Content-Length', 'Accept-Ranges', 'ETag', 'Last-Modified', 'Content-Disposition'];

export interface AppSetupOptions {
  /**
   * Answer GET/HEAD of the stream route before Express (StreamFastPath).
   * Default true; false leaves it to the VideoController alone, as in an app
   * that imports MediaModule (the tests compare the two).
   */
  streamFastPath?: boolean;
}

/** Wiring shared by main.ts and the e2e tests, so tests run the real app. */
export function configureApp(app: NestExpressApplication, options: AppSetupOptions = {}): NestExpressApplication {
  app.disable('x-powered-by');
  // Express's own weak ETag of a JSON or error body would sit beside (and
  // contradict) the media's strong one on 412 and 416 answers.
  app.set('etag', false);
  const web = app.get<ConfigType<typeof webConfig>>(webConfig.KEY);
  // No CORS headers at all by default: browsers then keep other origins out.
  const cors = corsOptions(web.corsOrigins);
  if (cors !== null) {
    app.enableCors(cors);
  }
  if (options.streamFastPath ?? true) {
    app.get(StreamFastPath).install(app.getHttpServer(), cors === null ? null : corsMiddleware(cors));
  }
  // Outermost, after the fast path: no request escapes the log and the metrics.
  app.get(RequestObserver).install(app.getHttpServer());
  // req.ip, req.protocol and req.host for Express's routes; the observer reads the same setting.
  app.set('trust proxy', app.get<ConfigType<typeof serverConfig>>(serverConfig.KEY).trustProxy);
  app.useGlobalFilters(new ApiExceptionFilter());
  setupDocs(app);
  return app;
}

/** The options both Nest's CORS and the stream fast path's copy of it take. */
interface CorsSettings {
  origin: string | string[];
  methods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAge: number;
}

function corsOptions(origins: string[]): CorsSettings | null {
  if (origins.length === 0) {
    return null;
  }
  return {
    origin: origins[0] === '*' ? '*' : origins,
    methods: ['GET', 'HEAD'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  };
}

/** Options for NestFactory.create: no request bodies are ever read. */
export const APP_OPTIONS = { bodyParser: false } as const;
