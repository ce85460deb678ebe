// Engine-only integration tests (test/integration/engine-*.test.ts): each file starts its own
// Operaton engine on its own fresh database, so no globalSetup (the main config's starts a broker).
//   NODE_OPTIONS=--experimental-vm-modules npx jest -c jest.engine.config.js --runInBand
import base from './jest.config.js';

const integration = base.projects.find((p) => p.displayName === 'integration');

export default {
  testTimeout: 240_000,
  projects: [
    {
      ...integration,
      displayName: 'engine',
      testMatch: [
        '<rootDir>/test/integration/engine-*.test.ts',
        '<rootDir>/test/integration/worker-host.test.ts',
      ],
      globalSetup: undefined,
      globalTeardown: undefined,
    },
  ],
};
