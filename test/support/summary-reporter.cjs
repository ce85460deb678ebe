// Prints the plain closing line "N passed, N failed[, N skipped]" after Jest's own summary, so
// any tool reading the run's last lines sees the count in a common form.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    // after Jest's own summary, which the default reporters print in the same round
    setImmediate(() =>
      process.stdout.write(
        `${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
      ),
    );
  }
}
module.exports = SummaryReporter;
