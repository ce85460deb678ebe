// Engine port tests (worker host, engine outbox) against a real Operaton engine that each test
// file starts itself: no globalSetup (the integration project's one starts the old broker).
// Run: NODE_OPTIONS=--experimental-vm-modules npx jest -c jest.engine.config.js --runInBand
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

export default {
  testTimeout: 120_000,
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  testMatch: [
    '<rootDir>/test/unit/engine-outbox-rules.test.ts',
    '<rootDir>/test/integration/worker-host.test.ts',
    '<rootDir>/test/integration/engine-messages.test.ts',
  ],
};
