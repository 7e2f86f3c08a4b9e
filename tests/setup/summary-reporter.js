/**
 * Ends the run with the one line CI reads: `N passed, N failed` (and `, N skipped`).
 * A test file that fails to run at all counts as one failure.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    if (process.env.TTHC_SUMMARY_LINE === 'off') return; // scripts/test.mjs prints the line itself
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    process.stdout.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
