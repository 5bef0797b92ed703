// Two workers of the built service sharing one port, one DATA_DIR and one
// catalog file, each with a prober that logs "<pid> <id>" per probe, so the
// test can tell who probed what. Plain JS on the compiled build (no Jest):
// these are real processes, as WEB_CONCURRENCY=2 runs them.
import 'reflect-metadata';
import cluster from 'node:cluster';
import { appendFileSync } from 'node:fs';
import { Test } from '@nestjs/testing';

const build = process.env.CATALOG_BUILD;
const { AppModule } = await import(`${build}/app.module.js`);
const { METADATA_PROBER } = await import(`${build}/derive/media-metadata.js`);

if (cluster.isPrimary) {
  const workers = [cluster.fork(), cluster.fork()];
  process.on('SIGTERM', () => {
    for (const worker of workers) worker.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 500);
  });
  cluster.on('online', (worker) => console.log(`worker ${worker.process.pid}`));
} else {
  const prober = {
    async probe(itemId, etag) {
      appendFileSync(process.env.PROBE_LOG, `${process.pid} ${itemId}\n`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { etag, hasCoverArt: false, metadata: { status: 'ready', durationSeconds: 2, bitrate: null, video: null, audio: null } };
    },
  };
  // Overridden rather than bound a second time: with two global bindings
  // of one token, which one Nest injects is not specified.
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(METADATA_PROBER).useValue(prober).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'], abortOnError: false });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  console.log(`listening ${process.pid}`);
}
