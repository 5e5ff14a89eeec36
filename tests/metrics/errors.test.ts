import { strict as assert } from "assert";
import { misclassified } from "../../lib/metrics/errors";

describe("misclassified", () => {
  // Three classes; sample 0 right, samples 1 and 2 wrong with confidences 0.6 and 0.9.
  const yTrue = Uint8Array.of(0, 1, 2);
  const probabilities = Float32Array.of(0.8, 0.1, 0.1, 0.6, 0.3, 0.1, 0.05, 0.9, 0.05);

  it("lists the wrong predictions, most confident first, with the true label's probability", () => {
    const mistakes = misclassified(yTrue, probabilities, 3);
    assert.deepEqual(
      mistakes.map((m) => [m.index, m.trueLabel, m.predicted]),
      [
        [2, 2, 1],
        [1, 1, 0],
      ],
    );
    assert.ok(Math.abs(mistakes[0].confidence - 0.9) < 1e-6);
    assert.ok(Math.abs(mistakes[0].trueProbability - 0.05) < 1e-6);
  });

  it("rejects probabilities of the wrong shape", () => {
    assert.throws(() => misclassified(yTrue, probabilities.subarray(0, 6), 3), /probabilities has 6 values/);
  });
});
