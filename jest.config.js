// Jest runs the TypeScript sources as ES modules through SWC (no type check here: `npm test`
// runs `tsc --noEmit` first). Each integration test file starts its own engine on its own database (the engine is built once,
// in globalSetup); they run in band, the machine has 2 cores.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};

export default {
  testTimeout: 60_000,
  // the log scan (issue 14 §11) reads every log of the run: it goes last
  testSequencer: '<rootDir>/test/support/sequencer.cjs',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
    },
    {
      // Faults under load (issue 14): crashes of the engine, a worker, the database and the
      // outside systems; shutdown with parts down. Real engines and PostgreSQL, like integration.
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
    },
  ],
};
