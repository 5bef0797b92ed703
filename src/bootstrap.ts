import 'reflect-metadata';
import type { ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { AppModule } from './app.module.js';
import { APP_OPTIONS, configureApp } from './app.setup.js';
import { ConfigValidationError } from './config/config-validation.error.js';
import { httpConfig, parseHttpSettings } from './config/http.config.js';
import { validateEnvironment } from './config/validate-environment.js';
import { isPrimary, runPrimary } from './cluster.js';
import { parseServerSettings, type ServerSettings } from './config/server.config.js';
import { parseObservabilitySettings } from './config/observability.config.js';
import { drainOnSignals } from './graceful-shutdown.js';
import { endStartHeapTuning } from './runtime/heap-tuning.js';
import { IDLE_TIMEOUT_MS, ServiceHttpAdapter } from './http-server.adapter.js';
import { createLogger } from './observability/logging/logger.factory.js';
import { PinoNestLogger } from './observability/logging/pino-nest-logger.js';
import { PINO_LOGGER } from './observability/logging/pino-logger.token.js';
import { serveClusterMetrics } from './observability/metrics/cluster-metrics.js';
import type { Logger } from 'pino';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function bootstrap(): Promise<void> {
  let app: NestExpressApplication;
  let server: ServerSettings;
  try {
    server = parseServerSettings(process.env);
    // Silent and without abort until listening: a failed start prints our
    // one line, not Nest's stack trace of it.
    app = await NestFactory.create<NestExpressApplication>(AppModule, new ServiceHttpAdapter(server), {
      ...APP_OPTIONS,
      abortOnError: false,
      logger: false,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    fail(error instanceof ConfigValidationError ? message : `Failed to start: ${message}`);
  }
  const logger = app.get<Logger>(PINO_LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  configureApp(app);
  const http = app.get<ConfigType<typeof httpConfig>>(httpConfig.KEY);
  try {
    await app.listen(http.port, http.host);
  } catch (error) {
    fail(`Cannot listen on ${http.host}:${http.port} (PORT, HOST): ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
  const httpServer = app.getHttpServer() as Server;
  // Without it a reader that stops holds its socket and file forever.
  httpServer.setTimeout(IDLE_TIMEOUT_MS);
  drainOnSignals(app, httpServer, server.shutdownGraceSeconds, logger);
  endStartHeapTuning();
  logger.info({ context: 'Bootstrap' }, `Serving media on http://${http.host}:${http.port}/api/videos`);
}

/**
 * With WEB_CONCURRENCY > 1 this process only supervises workers, so it checks
 * the settings itself first (reading .env as ConfigModule would): a bad value
 * stops it with one line rather than every worker failing in turn.
 * Entered from main.ts once the V8 settings hold (workers fork main.js too).
 */
export function main(): void {
  if (!isPrimary()) {
    void bootstrap();
    return;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    validateEnvironment(process.env);
  } catch (error) {
    fail(error instanceof ConfigValidationError ? error.message : `Failed to start: ${String(error)}`);
  }
  const { workers } = parseHttpSettings(process.env);
  if (workers === 1) {
    void bootstrap();
    return;
  }
  const logger = createLogger(parseObservabilitySettings(process.env), true).child({ context: 'Cluster' });
  logger.info(`Starting ${workers} workers`);
  serveClusterMetrics();
  runPrimary(workers, (line) => logger.info(line));
}
