import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppModule } from '../../src/app.module.js';
import { APP_OPTIONS, type AppSetupOptions, configureApp } from '../../src/app.setup.js';

export interface TestApp {
  app: NestExpressApplication;
  /** http://127.0.0.1:PORT of the listening app. */
  baseUrl: string;
  port: number;
  /** The media root the app serves (a fresh temporary folder, real path). */
  root: string;
  close(): Promise<void>;
}

/** A fresh temporary folder, for a test's media root. */
export async function makeMediaRoot(): Promise<string> {
  return realpath(await mkdtemp(path.join(tmpdir(), 'media-e2e-')));
}

/**
 * Starts the real AppModule, wired as main.ts wires it, on 127.0.0.1 and a
 * free port, serving `root`. `env` sets further variables for this app.
 * Settings are read from process.env when the module is compiled, so apps
 * are started one at a time. `setup` is passed to configureApp.
 */
export async function startApp(root: string, env: Record<string, string> = {}, setup: AppSetupOptions = {}): Promise<TestApp> {
  const saved = { ...process.env };
  // Silent unless a test asks: access lines would otherwise fill Jest's output.
  Object.assign(process.env, { MEDIA_ROOT: root, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }, env);
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>(APP_OPTIONS);
    app.useLogger(false);
    configureApp(app, setup);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    return {
      app,
      port,
      baseUrl: `http://127.0.0.1:${port}`,
      root,
      close: () => app.close(),
    };
  } finally {
    process.env = saved;
  }
}

export async function removeRoot(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}
