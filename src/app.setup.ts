import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiExceptionFilter } from './common/api-exception.filter.js';

/** Wiring shared by main.ts and the e2e tests, so tests run the real app. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  return app;
}

/** Options for NestFactory.create: no request bodies are ever read. */
export const APP_OPTIONS = { bodyParser: false } as const;
