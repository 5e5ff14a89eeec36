import { strict as assert } from "assert";
import { LinearSvmClassifier } from "../../../lib/models/svm/linear-svm";
import { RbfSvmClassifier } from "../../../lib/models/svm/rbf-svm";
import { RandomFourierFeatures, scaleGamma } from "../../../lib/models/svm/random-fourier";
import { matrix, Matrix } from "../../../lib/matrix";
import { ReferenceKernels } from "../../../lib/kernels/reference";
import { Random } from "../../../lib/random";

const kernels = new ReferenceKernels();

/** Three classes in 2-D, separated by margins of at least 1 around the lines x = 0 and y = 0. */
function separableBlobs(n: number, seed: number): { x: Matrix; y: Uint8Array } {
  const random = new Random(seed);
  const data = new Float32Array(n * 2);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 3;
    const cx = label === 0 ? -3 : 3;
    const cy = label === 2 ? -3 : 3;
    data[2 * i] = cx + random.uniform(-2, 2) * (label === 0 ? 1 : 0.5);
    data[2 * i + 1] = cy + random.uniform(-2, 2) * (label === 2 ? 1 : 0.5);
    y[i] = label;
  }
  return { x: matrix(data, n, 2), y };
}

/** Class 1 inside a circle of radius 1, class 0 on a ring of radius 2–3: no line separates them. */
function rings(n: number, seed: number): { x: Matrix; y: Uint8Array } {
  const random = new Random(seed);
  const data = new Float32Array(n * 2);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const inside = i % 2 === 1;
    const radius = inside ? random.uniform(0, 1) : random.uniform(2, 3);
    const angle = random.uniform(0, 2 * Math.PI);
    data[2 * i] = radius * Math.cos(angle);
    data[2 * i + 1] = radius * Math.sin(angle);
    y[i] = inside ? 1 : 0;
  }
  return { x: matrix(data, n, 2), y };
}

describe("LinearSvmClassifier", () => {
  it("separates linearly separable data perfectly, with a per-epoch history", async () => {
    const train = separableBlobs(300, 1);
    const test = separableBlobs(300, 2);
    const svm = await new LinearSvmClassifier({ epochs: 20, batchSize: 32, kernels }).fit(train.x, train.y, {
      validation: test,
    });
    assert.equal(svm.score(test.x, test.y), 1);
    assert.equal(svm.history.length, 20);
    assert.ok(svm.history[19].loss < svm.history[0].loss, "training loss decreases");
    assert.equal(svm.history[19].valAccuracy, 1);
  });

  it("gives softmax-of-margin rows that sum to 1 and rank like predict", async () => {
    const train = separableBlobs(150, 3);
    const svm = await new LinearSvmClassifier({ epochs: 5, loss: "hinge", kernels }).fit(train.x, train.y);
    const proba = svm.predictProba(train.x);
    const predicted = svm.predict(train.x);
    for (let r = 0; r < train.x.rows; r++) {
      const row = Array.from(proba.subarray(r * 10, (r + 1) * 10));
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
      assert.equal(row.indexOf(Math.max(...row)), predicted[r]);
    }
  });

  it("is deterministic for a seed and differs across seeds", async () => {
    const train = separableBlobs(200, 4);
    const fit = async (seed: number) =>
      (await new LinearSvmClassifier({ epochs: 2, batchSize: 16, seed, kernels }).fit(train.x, train.y))
        .weights!;
    assert.deepEqual(await fit(5), await fit(5));
    assert.notDeepEqual(await fit(5), await fit(6));
  });

  it("rejects bad hyperparameters and bad input", async () => {
    assert.throws(() => new LinearSvmClassifier({ alpha: -1 }), /alpha/);
    assert.throws(() => new LinearSvmClassifier({ epochs: 0 }), /epochs/);
    assert.throws(
      () => new LinearSvmClassifier({ loss: "log" as never }),
      /loss must be one of "hinge", "squared_hinge", got "log"/,
    );
    const svm = new LinearSvmClassifier({ kernels });
    assert.throws(() => svm.predict(matrix(new Float32Array(2), 1, 2)), /before fit/);
    await assert.rejects(svm.fit(matrix(new Float32Array(2), 1, 2), Uint8Array.from([12])), /outside 0..9/);
  });
});

describe("RandomFourierFeatures", () => {
  it("approximates the RBF kernel, more closely with more components", () => {
    const random = new Random(11);
    const n = 30;
    const d = 5;
    const x = matrix(
      Float32Array.from({ length: n * d }, () => random.normal(0, 0.5)),
      n,
      d,
    );
    const gamma = 0.3;
    const meanError = (nComponents: number) => {
      const z = new RandomFourierFeatures({ gamma, nComponents, seed: 1, kernels }).fit(d).transform(x);
      let error = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let dist = 0;
          for (let c = 0; c < d; c++) dist += (x.data[i * d + c] - x.data[j * d + c]) ** 2;
          let dot = 0;
          for (let c = 0; c < nComponents; c++)
            dot += z.data[i * nComponents + c] * z.data[j * nComponents + c];
          error += Math.abs(dot - Math.exp(-gamma * dist));
        }
      }
      return error / (n * n);
    };
    const coarse = meanError(50);
    const fine = meanError(5000);
    // Error ~ 1/√D: 100× the components should cut it roughly 10×.
    assert.ok(fine < coarse / 4, `error ${fine} with 5000 components vs ${coarse} with 50`);
    assert.ok(fine < 0.02, `error ${fine}`);
  });

  it("follows scikit-learn's gamma='scale' definition", () => {
    // Entries 0, 2, 0, 2: variance 1 over 2 features, so gamma = 1 / (2 · 1).
    assert.equal(scaleGamma(matrix(Float32Array.from([0, 2, 0, 2]), 2, 2)), 0.5);
  });

  it("rejects transform before fit and a wrong feature count", () => {
    const rff = new RandomFourierFeatures({ gamma: 1, nComponents: 4, kernels });
    assert.throws(() => rff.transform(matrix(new Float32Array(2), 1, 2)), /before fit/);
    rff.fit(3);
    assert.throws(() => rff.transform(matrix(new Float32Array(2), 1, 2)), /expected 3 features/);
    assert.throws(() => new RandomFourierFeatures({ gamma: 0 }), /gamma must be positive/);
  });
});

describe("RbfSvmClassifier", () => {
  it("separates concentric rings that a linear SVM cannot", async () => {
    const train = rings(400, 1);
    const test = rings(200, 2);
    const linear = await new LinearSvmClassifier({ epochs: 10, kernels }).fit(train.x, train.y);
    const rbf = await new RbfSvmClassifier({
      gamma: 1,
      nComponents: 200,
      epochs: 10,
      alpha: 1e-4,
      kernels,
    }).fit(train.x, train.y);
    assert.ok(linear.score(test.x, test.y) < 0.8, `linear ${linear.score(test.x, test.y)}`);
    assert.ok(rbf.score(test.x, test.y) > 0.97, `rbf ${rbf.score(test.x, test.y)}`);
    assert.equal(rbf.history.length, 10);
    assert.equal(rbf.fittedGamma, 1);
  });
});
