/**
 * Mocha's spec reporter plus one plain closing line, "tests: N passed, N failed, N skipped", which CI
 * reads to tell how many tests ran.
 */
import * as Mocha from "mocha";

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending } = this.stats;
      // After the spec reporter's own epilogue, which it prints on the same event.
      setImmediate(() => console.log(`tests: ${passes} passed, ${failures} failed, ${pending} skipped`));
    });
  }
}

export = SpecWithSummary;
