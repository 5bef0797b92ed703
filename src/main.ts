import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
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

/** Like nginx's send_timeout: a client that takes nothing for this long is dropped. */
const IDLE_TIMEOUT_MS = 60_000;
/** How long downloads under way may finish after SIGTERM before they are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function bootstrap(): Promise<void> {
  let app: NestExpressApplication;
  try {
    // Silent and without abort until listening: a failed start prints our
    // one line, not Nest's stack trace of it.
    app = await NestFactory.create<NestExpressApplication>(AppModule, {
      ...APP_OPTIONS,
      abortOnError: false,
      logger: false,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    fail(error instanceof ConfigValidationError ? message : `Failed to start: ${message}`);
  }
  configureApp(app);
  const http = app.get<ConfigType<typeof httpConfig>>(httpConfig.KEY);
  try {
    await app.listen(http.port, http.host);
  } catch (error) {
    fail(`Cannot listen on ${http.host}:${http.port} (PORT, HOST): ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
  app.useLogger(new ConsoleLogger());
  const server = app.getHttpServer() as Server;
  // Without it a reader that stops holds its socket and file forever.
  server.setTimeout(IDLE_TIMEOUT_MS);
  shutDownGracefully(app, server);
  new ConsoleLogger('Bootstrap').log(`Serving media on http://${http.host}:${http.port}/api/videos`);
}

function shutDownGracefully(app: NestExpressApplication, server: Server): void {
  let stopping = false;
  const stop = (): void => {
    // Once only, but the handlers stay: a second signal (the supervisor's
    // forwarded one after the group's own) must not fall back to the default,
    // which would end the process at once.
    if (stopping) return;
    stopping = true;
    server.closeIdleConnections();
    // app.close() waits for every open response; after the grace period the
    // remaining ones are cut so the process does end.
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    void app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * With WEB_CONCURRENCY > 1 this process only supervises workers, so it checks
 * the settings itself first (reading .env as ConfigModule would): a bad value
 * stops it with one line rather than every worker failing in turn.
 */
function main(): void {
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
  const logger = new ConsoleLogger('Cluster');
  logger.log(`Starting ${workers} workers`);
  runPrimary(workers, (line) => logger.log(line));
}

main();
