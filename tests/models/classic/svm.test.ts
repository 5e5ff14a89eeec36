import { strict as assert } from "assert";
import { LinearSvmClassifier } from "../../../lib/models/svm/linear-svm";
import { RbfSvmClassifier } from "../../../lib/models/svm/rbf-svm";
import { RandomFourierFeatures, scaleGamma } from "../../../lib/models/svm/random-fourier";
import { matrix, Matrix } from "../../../lib/matrix";
import { columnMeans, matrixRows, QuantisedRows } from "../../../lib/models/svm/row-source";
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

  it("predicts any number of rows block by block, each row as if alone", async () => {
    const train = rings(300, 6);
    const rbf = await new RbfSvmClassifier({ gamma: 1, nComponents: 100, epochs: 3, kernels }).fit(
      train.x,
      train.y,
    );
    // 2500 rows span three blocks of 1024; the parts cut them elsewhere.
    const many = rings(2500, 7).x;
    const all = rbf.predictProba(many);
    const part = (start: number, rows: number) =>
      rbf.predictProba(matrix(many.data.slice(start * 2, (start + rows) * 2), rows, 2));
    const parts = [...part(0, 1500), ...part(1500, 999), ...part(2499, 1)];
    assert.deepEqual(Array.from(all), parts);
    for (let r = 0; r < many.rows; r += 97) {
      const sum = all.subarray(r * 10, r * 10 + 10).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-5, `row ${r} sums to ${sum}`);
    }
  });
});

describe("row sources", () => {
  it("QuantisedRows keeps each value within half a step, clamps outside the bound, rejects misuse", () => {
    const values = Float32Array.from([0, 0.5, -0.5, 1, -1, 0.3337, 2, -7]);
    const rows = new QuantisedRows(2, 4, 1);
    rows.setRows(0, values, 2);
    const decoded = rows.toMatrix().data;
    for (let i = 0; i < 6; i++)
      assert.ok(Math.abs(decoded[i] - values[i]) <= rows.step / 2 + 1e-7, `value ${i}: ${decoded[i]}`);
    assert.deepEqual([decoded[6], decoded[7]], [1, -1]);
    const centred = new Float32Array(5);
    rows.copyCentredRow(1, Float32Array.from([1, 0, 0, 0]), centred, 1);
    assert.equal(centred[1], decoded[4] - 1);
    assert.throws(() => new QuantisedRows(1, 1, 0), /bound must be a positive finite number, got 0/);
    assert.throws(() => rows.setRows(1, values, 2), /rows 1..2 outside 0..1/);
  });

  it("a Matrix's rows centre exactly and give the column means", () => {
    const x = matrix(Float32Array.from([1, 2, 3, 6]), 2, 2);
    const out = new Float32Array(2);
    matrixRows(x).copyCentredRow(1, Float32Array.from([1, 1]), out, 0);
    assert.deepEqual(Array.from(out), [2, 5]);
    assert.deepEqual(Array.from(columnMeans(matrixRows(x))), [2, 4]);
  });

  it("random Fourier features quantised decode to the Float32 features within half a step", () => {
    const { x } = rings(50, 3);
    const rff = new RandomFourierFeatures({ gamma: 1, nComponents: 64, seed: 2, kernels }).fit(2);
    const exact = rff.transform(x).data;
    const quantised = rff.transformQuantised(x);
    assert.equal(quantised.bound, Math.sqrt(2 / 64));
    const decoded = quantised.toMatrix().data;
    let worst = 0;
    for (let i = 0; i < exact.length; i++) worst = Math.max(worst, Math.abs(decoded[i] - exact[i]));
    assert.ok(worst <= quantised.step / 2 + 1e-7, `worst error ${worst}, step ${quantised.step}`);
  });
});

describe("LinearSvmClassifier.fitRows", () => {
  it("trains on a Matrix's rows exactly as fit does", async () => {
    const train = separableBlobs(200, 6);
    const options = { epochs: 3, batchSize: 16, seed: 2, kernels };
    const fitted = await new LinearSvmClassifier(options).fit(train.x, train.y);
    const fromRows = await new LinearSvmClassifier(options).fitRows(matrixRows(train.x), train.y);
    assert.deepEqual(fromRows.weights, fitted.weights);
    assert.deepEqual(fromRows.biases, fitted.biases);
  });

  it("checks labels as fit does, naming fitRows, and leaves the model ready for predict's checks", async () => {
    const train = separableBlobs(40, 7);
    const model = new LinearSvmClassifier({ epochs: 1, batchSize: 16, seed: 2, kernels });
    const rows = matrixRows(train.x);
    await assert.rejects(
      model.fitRows(rows, train.y.subarray(1)),
      /Linear SVM: fitRows: 40 samples but 39 labels in y$/,
    );
    await assert.rejects(
      model.fitRows(rows, train.y, { validation: { x: rows, y: train.y.subarray(1) } }),
      /Linear SVM: fitRows: 40 samples but 39 labels in validation\.y/,
    );
    assert.equal(model.isFitted, false);
    await model.fitRows(rows, train.y);
    assert.equal(model.history.length, 1);
    assert.equal(model.predict(train.x).length, train.x.rows);
    assert.throws(() => model.predict(matrix(new Float32Array(5), 1, 5)), /fitted on 2/);
  });

  it("trains on quantised random Fourier features within a stated tolerance of the Float32 ones", async () => {
    const train = rings(600, 4);
    const test = rings(400, 5);
    const rff = new RandomFourierFeatures({ gamma: 1, nComponents: 300, seed: 3, kernels }).fit(2);
    const options = { epochs: 10, alpha: 1e-4, seed: 1, kernels };
    const float = await new LinearSvmClassifier(options).fit(rff.transform(train.x), train.y, {
      validation: { x: rff.transform(test.x), y: test.y },
    });
    const quantised = await new LinearSvmClassifier(options).fitRows(
      rff.transformQuantised(train.x),
      train.y,
      {
        validation: { x: rff.transformQuantised(test.x), y: test.y },
      },
    );
    let difference = 0;
    let norm = 0;
    for (let i = 0; i < float.weights!.length; i++) {
      difference += (quantised.weights![i] - float.weights![i]) ** 2;
      norm += float.weights![i] ** 2;
    }
    const relative = Math.sqrt(difference / norm);
    const testFeatures = rff.transform(test.x);
    const a = float.predict(testFeatures);
    const b = quantised.predict(testFeatures);
    const agreement = a.filter((label, i) => label === b[i]).length / a.length;
    // Measured: 3.4e-4 and full agreement (Int8 rounding is far below the features' own 1/√D error).
    assert.ok(relative < 0.005, `weights differ by ${relative} relative to their norm`);
    assert.ok(agreement >= 0.99, `predictions agree on ${agreement} of the test rows`);
    assert.equal(quantised.history.length, 10);
    assert.ok(quantised.history[9].valAccuracy! > 0.97, `validation ${quantised.history[9].valAccuracy}`);
    await assert.rejects(
      new LinearSvmClassifier(options).fitRows(rff.transformQuantised(train.x), train.y, {
        validation: { x: matrixRows(test.x), y: test.y },
      }),
      /validation has 2 columns, expected 300/,
    );
  });
});
