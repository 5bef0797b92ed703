import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtService } from './support/service-process.js';

// The logger gathers lines into batches for up to 100 ms; a process that
// exits before then (a fatal error, process.exit) must still write them.
describe('the logger of a process that exits at once', () => {
  it('writes every line of the last batch, in order', () => {
    const factory = pathToFileURL(path.join(path.dirname(builtService()), 'observability', 'logging', 'logger.factory.js')).href;
    const script = `
      import { createLogger } from ${JSON.stringify(factory)};
      const logger = createLogger({ logLevel: 'info', logFormat: 'json' });
      for (let n = 0; n < 5; n++) logger.info({ n }, 'line');
      process.exit(3);
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.status).toBe(3);
    const lines = child.stdout.trim().split('\n').map((text) => JSON.parse(text) as { n: number; msg: string });
    expect(lines.map((entry) => entry.n)).toEqual([0, 1, 2, 3, 4]);
    expect(lines.every((entry) => entry.msg === 'line')).toBe(true);
  });
});
