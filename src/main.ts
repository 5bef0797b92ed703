import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { APP_OPTIONS, configureApp } from './app.setup.js';
import { ConfigValidationError } from './config/config-validation.error.js';
import { httpConfig } from './config/http.config.js';

async function bootstrap(): Promise<void> {
  let app: NestExpressApplication;
  try {
    // Silent and without abort while starting: a failed start prints our one
    // line, not Nest's stack trace of it.
    app = await NestFactory.create<NestExpressApplication>(AppModule, {
      ...APP_OPTIONS,
      abortOnError: false,
      logger: false,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof ConfigValidationError ? message : `Failed to start: ${message}`);
    process.exit(1);
  }
  app.useLogger(new ConsoleLogger());
  configureApp(app);
  const http = app.get<ConfigType<typeof httpConfig>>(httpConfig.KEY);
  try {
    await app.listen(http.port, http.host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    console.error(`Cannot listen on ${http.host}:${http.port} (PORT, HOST): ${code}`);
    process.exit(1);
  }
  new ConsoleLogger('Bootstrap').log(`Serving media on http://${http.host}:${http.port}/api/videos`);
}

void bootstrap();
