// Jest runs in native ESM mode (node --experimental-vm-modules) because the
// NestJS 12 packages are ESM-only; ts-jest compiles each file on its own.
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
export default {
  projects: [
    { ...shared, displayName: 'unit', rootDir: 'src', testMatch: ['**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      rootDir: 'test',
      testMatch: ['**/*.e2e-spec.ts'],
      // dist-e2e/main.js, for the tests that run the built service as a child.
      globalSetup: '<rootDir>/support/build-service.mjs',
    },
  ],
};
