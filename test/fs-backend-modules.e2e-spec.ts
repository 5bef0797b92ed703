import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fetchBytes } from './support/http.js';
import { builtService, killServices, startService } from './support/service-process.js';

/**
 * With MEDIA_BACKEND=fs the service must not import the AWS SDK: it costs start
 * time and resident memory for code that never runs. A loader hook in the
 * service's process writes every resolved specifier to a file.
 */
describe('fs backend loads no S3 code', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fs-modules-'));
    await writeFile(
      path.join(dir, 'hook.mjs'),
      "import { appendFileSync } from 'node:fs';\n" +
        'export async function resolve(specifier, context, next) {\n' +
        '  appendFileSync(process.env.RESOLVED_LOG, specifier + "\\n");\n' +
        '  return next(specifier, context);\n' +
        '}\n',
    );
    await writeFile(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hook.mjs')).href)});\n`);
  });

  afterAll(async () => {
    killServices();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves without resolving any @aws-sdk/ module', async () => {
    const log = path.join(dir, 'resolved.txt');
    const service = await startService(builtService(), {
      MEDIA_BACKEND: 'fs',
      MEDIA_ROOT: dir,
      RESOLVED_LOG: log,
      NODE_OPTIONS: `--import ${pathToFileURL(path.join(dir, 'register.mjs')).href}`,
    });
    const health = await fetchBytes(service.baseUrl, '/health');
    expect(health.status).toBe(200);
    service.child.kill('SIGTERM');
    await service.exit;
    const specifiers = (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
    expect(specifiers).toContain('@nestjs/core');
    expect(specifiers.filter((s) => s.startsWith('@aws-sdk/') || s.includes('/storage/s3/'))).toEqual([]);
  });
});
