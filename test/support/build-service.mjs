// Jest globalSetup of the e2e project: builds the service once per run into
// dist-e2e/ for the tests that start `node main.js` as a child (access logs,
// shutdown, slow clients). One build, not one per test file: several tsc at
// once slow everything else down, and dist/ is the startup test's own (it
// rebuilds it while other children might be starting from it).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export default function buildService() {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', path.join(repoRoot, 'dist-e2e')], { cwd: repoRoot, stdio: 'inherit' });
}
