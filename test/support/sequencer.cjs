// Jest's order (failed and slowest first), except that the log scan runs last: it reads every
// log the run wrote (test/integration/log-scan.test.ts). The suite runs in band, so "last in the
// order" is "after every other test file has finished".
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const isScan = (t) => t.path.endsWith(`${path.sep}integration${path.sep}log-scan.test.ts`);

class LogScanLast extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    return [...sorted.filter((t) => !isScan(t)), ...sorted.filter(isScan)];
  }
}

module.exports = LogScanLast;
