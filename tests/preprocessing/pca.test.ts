import { strict as assert } from "assert";
import { matrix, Matrix } from "../../lib/matrix";
import { Random } from "../../lib/random";
import { PCA, symmetricEigen } from "../../lib/preprocessing";

/** Samples whose covariance has the given variances along the given orthonormal directions (plus tiny isotropic noise). */
function plantedData(
  rows: number,
  directions: number[][],
  stds: number[],
  noise: number,
  seed: number,
): Matrix {
  const random = new Random(seed);
  const cols = directions[0].length;
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) data[r * cols + c] = 3 + random.normal(0, noise);
    directions.forEach((direction, k) => {
      const z = random.normal(0, stds[k]);
      for (let c = 0; c < cols; c++) data[r * cols + c] += z * direction[c];
    });
  }
  return matrix(data, rows, cols);
}

function unit(values: number[]): number[] {
  const norm = Math.hypot(...values);
  return values.map((v) => v / norm);
}

describe("symmetricEigen", () => {
  it("matches a hand-computed decomposition of a small matrix", () => {
    // [[2,1,0],[1,2,0],[0,0,5]]: eigenvalues 5, 3, 1 with vectors e3, (1,1,0)/√2, (1,−1,0)/√2.
    const { values, vectors } = symmetricEigen([2, 1, 0, 1, 2, 0, 0, 0, 5], 3);
    assert.deepEqual(
      Array.from(values, (v) => +v.toFixed(12)),
      [5, 3, 1],
    );
    const expected = [
      [0, 0, 1],
      [Math.SQRT1_2, Math.SQRT1_2, 0],
      [Math.SQRT1_2, -Math.SQRT1_2, 0],
    ];
    expected.forEach((row, i) =>
      row.forEach((v, j) => assert.ok(Math.abs(vectors[i * 3 + j] - v) < 1e-12, `vector ${i}[${j}]`)),
    );
  });

  it("gives orthonormal eigenvectors with small residuals on a random matrix, and on one with a repeated eigenvalue", () => {
    const n = 40;
    const random = new Random(3);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = random.uniform(-1, 1);
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 1; i < n; i++) assert.ok(values[i] <= values[i - 1]);
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < n; r++) {
        let av = 0;
        for (let k = 0; k < n; k++) av += a[r * n + k] * vectors[i * n + k];
        assert.ok(Math.abs(av - values[i] * vectors[i * n + r]) < 1e-10, `residual of pair ${i}`);
      }
      for (let j = 0; j <= i; j++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += vectors[i * n + k] * vectors[j * n + k];
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-10, `dot ${i}·${j}`);
      }
    }
    // The identity has one eigenvalue of multiplicity n: any orthonormal basis, but it must be one.
    const identity = new Float64Array(n * n);
    for (let i = 0; i < n; i++) identity[i * n + i] = 2;
    const flat = symmetricEigen(identity, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += flat.vectors[i * n + k] * flat.vectors[j * n + k];
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-10);
      }
    }
  });
});

describe("PCA", () => {
  const directions = [unit([1, 2, 0, -1, 0, 1]), unit([2, -1, 1, 0, 1, 0]), unit([0, 0, 1, 0, -1, 0])];
  const stds = [5, 3, 1.5];

  it("recovers planted directions and variances", () => {
    const x = plantedData(4000, directions, stds, 0.01, 7);
    const pca = new PCA({ nComponents: 3 }).fit(x);
    stds.forEach((std, k) => {
      const relative = Math.abs(pca.explainedVariance[k] - std * std) / (std * std);
      assert.ok(relative < 0.08, `variance ${k}: ${pca.explainedVariance[k]} vs ${std * std}`);
      let dot = 0;
      for (let c = 0; c < 6; c++) dot += pca.components.data[k * 6 + c] * directions[k][c];
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-3, `direction ${k}: |cos| = ${Math.abs(dot)}`);
      // Sign convention: the largest-magnitude entry of each component is positive.
      const row = Array.from(pca.components.data.subarray(k * 6, k * 6 + 6));
      assert.ok(row.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0) > 0);
    });
    const ratios = Array.from(pca.explainedVarianceRatio);
    for (let k = 1; k < ratios.length; k++) assert.ok(ratios[k] <= ratios[k - 1]);
    const total = ratios.reduce((a, b) => a + b, 0);
    assert.ok(total <= 1 && total > 0.999, `ratios sum to ${total}`);
  });

  it("inverseTransform(transform(x)) ≈ x with every component, and a fraction picks enough components", () => {
    const x = plantedData(300, directions, stds, 0.5, 8);
    const pca = new PCA({ nComponents: 6 }).fit(x);
    const back = pca.inverseTransform(pca.transform(x));
    x.data.forEach((v, i) => assert.ok(Math.abs(back.data[i] - v) < 1e-4, `value ${i}`));
    const ratioSum = Array.from(pca.explainedVarianceRatio).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(ratioSum - 1) < 1e-9);
    const fraction = new PCA({ nComponents: 0.9 }).fit(x);
    const kept = Array.from(fraction.explainedVarianceRatio).reduce((a, b) => a + b, 0);
    assert.ok(
      kept >= 0.9 && kept - fraction.explainedVarianceRatio[fraction.nComponents - 1] < 0.9,
      `kept ${kept} with ${fraction.nComponents}`,
    );
  });

  it("transforms and inverts more rows than one GEMM block (4096) holds, every row as its own", () => {
    // transform works in row blocks so the kernels never copy a whole data set into their memory.
    const x = plantedData(9000, directions, stds, 0.5, 10);
    const pca = new PCA({ nComponents: 3 }).fit(x);
    const projected = pca.transform(x);
    const back = pca.inverseTransform(projected);
    for (const r of [0, 4095, 4096, 8191, 8192, 8999]) {
      const row = matrix(x.data.slice(r * 6, r * 6 + 6), 1, 6);
      const alone = pca.transform(row);
      alone.data.forEach((v, k) => assert.ok(Math.abs(projected.data[r * 3 + k] - v) < 1e-5, `row ${r}`));
      const rowBack = pca.inverseTransform(alone);
      rowBack.data.forEach((v, c) => assert.ok(Math.abs(back.data[r * 6 + c] - v) < 1e-5, `row ${r}`));
      for (let k = 0; k < 3; k++) {
        let expected = 0;
        for (let c = 0; c < 6; c++) expected += (row.data[c] - pca.mean[c]) * pca.components.data[k * 6 + c];
        assert.ok(Math.abs(projected.data[r * 3 + k] - expected) < 1e-4, `row ${r}, component ${k}`);
      }
    }
  });

  it("projects other splits with the training mean and gives constant features zero-variance components", () => {
    const x = plantedData(500, directions, stds, 0.1, 9);
    const withConstant = matrix(new Float32Array(500 * 7), 500, 7);
    for (let r = 0; r < 500; r++) withConstant.data.set(x.data.subarray(r * 6, r * 6 + 6), r * 7);
    const pca = new PCA({ nComponents: 7 }).fit(withConstant);
    assert.equal(pca.explainedVariance[6], 0);
    assert.deepEqual(Array.from(pca.components.data.subarray(6 * 7, 7 * 7)), [0, 0, 0, 0, 0, 0, 1]);
    const projected = pca.transform(matrix(pca.mean.slice(), 1, 7));
    projected.data.forEach((v) => assert.ok(Math.abs(v) < 1e-4));
  });

  it("fits constant data: every component explains none of the zero variance", () => {
    // This used to fail inside the eigen-solver with "symmetricEigen: size must be a positive integer".
    const constant = matrix(new Float32Array(5 * 4).fill(3), 5, 4);
    for (const nComponents of [2, 0.9]) {
      const pca = new PCA({ nComponents }).fit(constant);
      assert.equal(pca.totalVariance, 0);
      assert.ok(pca.nComponents >= 1);
      assert.deepEqual(Array.from(pca.explainedVariance), new Array(pca.nComponents).fill(0));
      assert.deepEqual(Array.from(pca.explainedVarianceRatio), new Array(pca.nComponents).fill(0));
      // Unit feature axes, and every sample projects to the mean's projection, 0.
      assert.deepEqual(Array.from(pca.components.data.subarray(0, 4)), [1, 0, 0, 0]);
      assert.ok(pca.transform(constant).data.every((v) => v === 0));
      assert.deepEqual(
        Array.from(pca.inverseTransform(pca.transform(constant)).data),
        Array.from(constant.data),
      );
    }
  });

  it("rejects a single sample and a NaN, with messages that name them", () => {
    const one = matrix(Float32Array.from([1, 2, 3]), 1, 3);
    assert.throws(
      () => new PCA({ nComponents: 1 }).fit(one),
      /PCA \(1 components\): fit: the number of samples must be an integer ≥ 2, got 1/,
    );
    const nan = matrix(Float32Array.from([1, 2, NaN, 4]), 2, 2);
    assert.throws(() => new PCA({ nComponents: 1 }).fit(nan), /fit: x holds NaN at row 1, column 0/);
  });

  it("rejects bad nComponents, too many components and misuse with clear errors", () => {
    for (const bad of [0, -1, 1.5, NaN])
      assert.throws(() => new PCA({ nComponents: bad }), /nComponents must be/);
    assert.throws(
      () => new PCA({ nComponent: 2 } as never),
      /PCA: unknown option "nComponent" \(did you mean "nComponents"\?\)/,
    );
    assert.throws(
      () => new PCA({ nComponents: 7 }).fit(plantedData(10, directions, stds, 1, 1)),
      /nComponents = 7 exceeds the 6 features/,
    );
    assert.throws(
      () => new PCA({ nComponents: 2 }).transform(plantedData(10, directions, stds, 1, 1)),
      /before fit/,
    );
    const pca = new PCA({ nComponents: 2 }).fit(plantedData(10, directions, stds, 1, 1));
    assert.throws(() => pca.transform(matrix(new Float32Array(5), 1, 5)), /5 features/);
    assert.throws(() => pca.inverseTransform(matrix(new Float32Array(3), 1, 3)), /3 features/);
  });
});
