/**
 * Label smoothing in the fused softmax cross-entropy, against a plain reference written from the
 * definition (log-softmax, smoothed targets, their dot product), and its gradient against finite
 * differences; and the option's path through the training loop and the scratch classifiers.
 */
import { strict as assert } from "assert";
import { matrix } from "../../lib/matrix";
import { MlpClassifier } from "../../lib/models/scratch";
import { softmaxCrossEntropy } from "../../lib/nn/loss";
import { Random } from "../../lib/random";
import { assertClose } from "./gradient-check";

/** −Σ_j target_j · log softmax(z)_j averaged over rows, in float64, straight from the definition. */
function referenceSmoothedLoss(logits: Float32Array, labels: number[], classes: number, epsilon: number) {
  let total = 0;
  for (let r = 0; r < labels.length; r++) {
    const row = Array.from(logits.subarray(r * classes, (r + 1) * classes));
    const logSumExp = Math.log(row.reduce((sum, z) => sum + Math.exp(z), 0));
    for (let j = 0; j < classes; j++) {
      const target = (j === labels[r] ? 1 - epsilon : 0) + epsilon / classes;
      total -= target * (row[j] - logSumExp);
    }
  }
  return total / labels.length;
}

describe("label smoothing", () => {
  const batch = 4;
  const classes = 5;
  const labels = [0, 3, 4, 3];
  const random = new Random(11);
  const logits = Float32Array.from({ length: batch * classes }, () => random.normal(0, 3));
  const shape = [batch, classes];

  for (const epsilon of [0, 0.1, 0.3]) {
    it(`ε = ${epsilon}: the loss equals the reference and the gradient its finite differences`, () => {
      const grad = new Float32Array(logits.length);
      const { loss } = softmaxCrossEntropy({ data: logits, shape }, labels, grad, epsilon);
      assertClose(loss, referenceSmoothedLoss(logits, labels, classes, epsilon), 1e-5, "loss");
      const step = 1e-2;
      for (let i = 0; i < logits.length; i++) {
        const original = logits[i];
        logits[i] = original + step;
        const plus = referenceSmoothedLoss(logits, labels, classes, epsilon);
        logits[i] = original - step;
        const minus = referenceSmoothedLoss(logits, labels, classes, epsilon);
        logits[i] = original;
        assertClose(grad[i], (plus - minus) / (2 * step), 1e-3, `dloss/dlogits[${i}]`);
      }
    });
  }

  it("raises the loss of a confident, correct prediction and leaves the count of correct rows alone", () => {
    const confident = { data: Float32Array.from([10, 0, 0, 0, 10, 0]), shape: [2, 3] };
    const plain = softmaxCrossEntropy(confident, [0, 1]);
    const smoothed = softmaxCrossEntropy(confident, [0, 1], undefined, 0.1);
    assert.ok(smoothed.loss > plain.loss + 0.1, `${smoothed.loss} vs ${plain.loss}`);
    assert.equal(smoothed.correct, 2);
    assert.equal(plain.correct, 2);
  });

  it("each row's gradient sums to zero (the smoothed targets sum to one)", () => {
    const grad = new Float32Array(logits.length);
    softmaxCrossEntropy({ data: logits, shape }, labels, grad, 0.2);
    for (let r = 0; r < batch; r++) {
      const sum = grad.subarray(r * classes, (r + 1) * classes).reduce((a, b) => a + b, 0);
      assertClose(sum, 0, 1e-6, `row ${r}`);
    }
  });

  it("rejects ε outside [0, 1), naming the option and the value", () => {
    for (const bad of [-0.1, 1, 1.5, NaN]) {
      assert.throws(
        () => softmaxCrossEntropy({ data: logits, shape }, labels, undefined, bad),
        /labelSmoothing must be a number in \[0, 1\), got/,
      );
      assert.throws(() => new MlpClassifier({ labelSmoothing: bad }), /MlpClassifier: labelSmoothing/);
    }
  });

  it("is a hyperparameter of the scratch networks and changes what they learn", async () => {
    const data = new Random(3);
    const rows = 60;
    const x = matrix(
      Float32Array.from({ length: rows * 8 }, () => data.normal(0, 1)),
      rows,
      8,
    );
    const y = Uint8Array.from({ length: rows }, (_, i) => (x.data[i * 8] > 0 ? 1 : 0) + 2 * (i % 2));
    const options = { hiddenSizes: [8], epochs: 3, batchSize: 16, seed: 1 };
    const plain = await new MlpClassifier(options).fit(x, y);
    const smoothed = await new MlpClassifier({ ...options, labelSmoothing: 0.2 }).fit(x, y);
    assert.equal((smoothed.getParams() as { labelSmoothing: number }).labelSmoothing, 0.2);
    assert.equal(smoothed.clone().labelSmoothing, 0.2);
    const a = plain.predictProba(x);
    const b = smoothed.predictProba(x);
    assert.ok(
      a.some((value, i) => Math.abs(value - b[i]) > 1e-4),
      "smoothing changed no probability",
    );
  });
});
