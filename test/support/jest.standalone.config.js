// Runs integration test files that need neither the shared broker nor the shared database
// (no globalSetup), e.g.:
//   NODE_OPTIONS=--experimental-vm-modules npx jest --config test/support/jest.standalone.config.js \
//     test/integration/embedded-database.test.ts
import base from '../../jest.config.js';

const integration = base.projects.find((p) => p.displayName === 'integration');

export default {
  rootDir: '../..',
  testTimeout: base.testTimeout,
  extensionsToTreatAsEsm: integration.extensionsToTreatAsEsm,
  transform: integration.transform,
  moduleNameMapper: integration.moduleNameMapper,
  testEnvironment: integration.testEnvironment,
  testMatch: ['<rootDir>/test/integration/embedded-database.test.ts'],
};
