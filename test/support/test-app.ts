import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { METADATA_PROBER, type MetadataProber } from '../../src/derive/media-metadata.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppModule } from '../../src/app.module.js';
import { CatalogIndexer } from '../../src/catalog/scan/catalog-indexer.js';
import { APP_OPTIONS, type AppSetupOptions, configureApp } from '../../src/app.setup.js';

export interface TestApp {
  app: NestExpressApplication;
  /** http://127.0.0.1:PORT of the listening app. */
  baseUrl: string;
  port: number;
  /** The media root the app serves (a fresh temporary folder, real path). */
  root: string;
  /** The app's DATA_DIR (a fresh temporary folder unless `env` named one). */
  dataDir: string;
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
 * are started one at a time. `setup` is passed to configureApp. Each app
 * gets its own DATA_DIR (its own catalog) unless `env` sets one, and is
 * returned once its first scan has ended, so a test lists what it made.
 */
export async function startApp(
  root: string,
  env: Record<string, string> = {},
  setup: AppSetupOptions = {},
  /** A prober to use instead of the app's own (overriding METADATA_PROBER, so there is one binding). */
  overrides: { prober?: MetadataProber } = {},
): Promise<TestApp> {
  const saved = { ...process.env };
  const ownDataDir = env.DATA_DIR === undefined;
  const dataDir = env.DATA_DIR ?? (await mkdtemp(path.join(tmpdir(), 'media-data-')));
  // Silent unless a test asks: access lines would otherwise fill Jest's output.
  Object.assign(process.env, { MEDIA_ROOT: root, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, env);
  try {
    const builder = Test.createTestingModule({ imports: [AppModule] });
    if (overrides.prober !== undefined) builder.overrideProvider(METADATA_PROBER).useValue(overrides.prober);
    const moduleRef = await builder.compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>(APP_OPTIONS);
    app.useLogger(false);
    configureApp(app, setup);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    await app.get(CatalogIndexer).firstScan();
    return {
      app,
      port,
      baseUrl: `http://127.0.0.1:${port}`,
      root,
      dataDir,
      close: async () => {
        await app.close();
        if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
      },
    };
  } finally {
    process.env = saved;
  }
}

export async function removeRoot(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}
