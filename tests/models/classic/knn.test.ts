import { strict as assert } from "assert";
import { KNeighborsClassifier } from "../../../lib/models/neighbors/knn";
import { matrix } from "../../../lib/matrix";
import { ReferenceKernels } from "../../../lib/kernels/reference";
import { getKernels } from "../../../lib/kernels/index";
import { loadMnist } from "../../../lib/data/mnist";
import { toMatrix } from "../../../lib/data/dataset";
import { Random } from "../../../lib/random";

const kernels = new ReferenceKernels();
const points = (rows: number[][]) => matrix(Float32Array.from(rows.flat()), rows.length, rows[0].length);

/** The definition, three nested loops: every distance, then a full stable sort. */
function bruteForceNeighbours(train: number[][], query: number[], k: number): number[] {
  const distances = train.map((row, j) => ({
    j,
    d: row.reduce((sum, v, c) => sum + (v - query[c]) ** 2, 0),
  }));
  distances.sort((a, b) => a.d - b.d || a.j - b.j);
  return distances.slice(0, k).map((e) => e.j);
}

describe("KNeighborsClassifier", () => {
  // Class 0 around the origin, class 1 around (10, 10).
  const train = points([
    [0, 0],
    [1, 0],
    [0, 1],
    [10, 10],
    [9, 10],
    [10, 9],
  ]);
  const labels = Uint8Array.from([0, 0, 0, 1, 1, 1]);

  it("finds the known nearest neighbours, nearest first, with Euclidean distances", async () => {
    const knn = await new KNeighborsClassifier({ k: 2, kernels }).fit(train, labels);
    const { indices, distances } = knn.kneighbors(
      points([
        [0.9, 0.1],
        [10, 10],
      ]),
    );
    assert.deepEqual(Array.from(indices), [1, 0, 3, 4]);
    assert.ok(Math.abs(distances[0] - Math.hypot(0.1, 0.1)) < 1e-5);
    assert.ok(Math.abs(distances[1] - Math.hypot(0.9, 0.1)) < 1e-5);
    assert.ok(Math.abs(distances[2]) < 1e-5);
    assert.deepEqual(
      Array.from(
        knn.predict(
          points([
            [0.9, 0.1],
            [10, 10],
          ]),
        ),
      ),
      [0, 1],
    );
  });

  it("gives vote shares as probabilities, uniform or weighted by 1/distance", async () => {
    // Query at x = 4: neighbours 0 (d 1, class 0) and 1 (d 3, class 1) and 2 (d 6, class 1).
    const line = points([[3], [7], [10]]);
    const lineLabels = Uint8Array.from([0, 1, 1]);
    const uniform = await new KNeighborsClassifier({ k: 3, kernels }).fit(line, lineLabels);
    const weighted = await new KNeighborsClassifier({ k: 3, weights: "distance", kernels }).fit(
      line,
      lineLabels,
    );
    const query = points([[4]]);
    const p = uniform.predictProba(query);
    assert.ok(Math.abs(p[0] - 1 / 3) < 1e-6 && Math.abs(p[1] - 2 / 3) < 1e-6);
    assert.equal(uniform.predict(query)[0], 1);
    const w = weighted.predictProba(query);
    const total = 1 + 1 / 3 + 1 / 6;
    assert.ok(Math.abs(w[0] - 1 / total) < 1e-6 && Math.abs(w[1] - (1 / 3 + 1 / 6) / total) < 1e-6);
    assert.equal(
      weighted.predict(query)[0],
      0,
      "the much closer class-0 point outweighs two far class-1 points",
    );
  });

  it("lets an exact match alone decide with distance weights", async () => {
    const knn = await new KNeighborsClassifier({ k: 3, weights: "distance", kernels }).fit(
      points([[0], [0.1], [0.2]]),
      Uint8Array.from([2, 5, 5]),
    );
    assert.deepEqual(Array.from(knn.predictProba(points([[0]]))).slice(0, 6), [0, 0, 1, 0, 0, 0]);
  });

  it("breaks distance ties by training index and vote ties by the lower label", async () => {
    // Both training points are at distance 1 from the query; k = 1 keeps index 0 (label 7).
    const knn = await new KNeighborsClassifier({ k: 1, kernels }).fit(
      points([[1], [-1]]),
      Uint8Array.from([7, 3]),
    );
    assert.deepEqual(Array.from(knn.kneighbors(points([[0]])).indices), [0]);
    assert.equal(knn.predict(points([[0]]))[0], 7);
    const two = await new KNeighborsClassifier({ k: 2, kernels }).fit(
      points([[1], [-1]]),
      Uint8Array.from([7, 3]),
    );
    assert.equal(two.predict(points([[0]]))[0], 3, "one vote each: the lower label wins");
  });

  it("matches a brute-force triple loop on random data, across block boundaries", async () => {
    const random = new Random(7);
    const rows = (n: number, d: number) =>
      Array.from({ length: n }, () => Array.from({ length: d }, () => random.int(4) / 4));
    const trainRows = rows(120, 9);
    const queryRows = rows(37, 9);
    const trainLabels = Uint8Array.from(trainRows, () => random.int(10));
    const k = 5;
    const knn = await new KNeighborsClassifier({ k, blockRows: 8, kernels }).fit(
      points(trainRows),
      trainLabels,
    );
    const { indices } = knn.kneighbors(points(queryRows));
    queryRows.forEach((query, r) => {
      // Quantised coordinates make exact distance ties common, testing the tie order too.
      assert.deepEqual(
        Array.from(indices.subarray(r * k, (r + 1) * k)),
        bruteForceNeighbours(trainRows, query, k),
        `query ${r}`,
      );
    });
  });

  it("gives the same neighbours with the projection screen as by brute force, ties and duplicates included", async () => {
    const random = new Random(3);
    const d = 40;
    // Quantised coordinates make exact distance ties common; duplicated rows tie at every query.
    const trainRows = Array.from({ length: 150 }, () => Array.from({ length: d }, () => random.int(3)));
    for (let i = 0; i < 20; i++) trainRows.push(trainRows[random.int(trainRows.length)].slice());
    const queryRows = Array.from({ length: 30 }, () => Array.from({ length: d }, () => random.int(3)));
    queryRows.push(trainRows[5].slice());
    const trainLabels = Uint8Array.from(trainRows, () => random.int(10));
    const k = 4;
    for (const kernelsUsed of [kernels, getKernels()]) {
      const projected = await new KNeighborsClassifier({
        k,
        algorithm: "projection",
        projectionDims: 6,
        blockRows: 7,
        kernels: kernelsUsed,
      }).fit(points(trainRows), trainLabels);
      const { indices, distances } = projected.kneighbors(points(queryRows));
      assert.equal(projected.fittedAlgorithm, "projection");
      queryRows.forEach((query, r) => {
        const expected = bruteForceNeighbours(trainRows, query, k);
        assert.deepEqual(
          Array.from(indices.subarray(r * k, (r + 1) * k)),
          expected,
          `query ${r} (${kernelsUsed.name})`,
        );
        const exact = Math.sqrt(
          trainRows[expected[k - 1]].reduce((sum, v, c) => sum + (v - query[c]) ** 2, 0),
        );
        assert.ok(Math.abs(distances[r * k + k - 1] - exact) < 1e-5);
      });
    }
  });

  it("stays exact when float32 rounding is large next to the gaps between distances", async () => {
    // Entries near 1000 differing by 1/64: GEMM rounding of ‖q‖² + ‖t‖² − 2·q·t (~1e5) is many gaps wide.
    const random = new Random(5);
    const rows = (n: number) =>
      Array.from({ length: n }, () => Array.from({ length: 30 }, () => 1000 + random.int(8) / 64));
    const trainRows = rows(300);
    const queryRows = rows(20);
    const trainLabels = new Uint8Array(trainRows.length);
    for (const algorithm of ["brute", "projection"] as const) {
      const knn = await new KNeighborsClassifier({
        k: 3,
        algorithm,
        projectionDims: 5,
        kernels: getKernels(),
      }).fit(points(trainRows), trainLabels);
      const { indices } = knn.kneighbors(points(queryRows));
      queryRows.forEach((query, r) =>
        assert.deepEqual(
          Array.from(indices.subarray(r * 3, r * 3 + 3)),
          bruteForceNeighbours(trainRows, query, 3),
          `${algorithm}, query ${r}`,
        ),
      );
    }
  });

  it("prunes MNIST: same neighbours as brute force from a small fraction of the exact distances", async () => {
    const { train, test } = loadMnist({ trainLimit: 3000, testLimit: 300 });
    const [x, queries] = [toMatrix(train), toMatrix(test)];
    const brute = await new KNeighborsClassifier({ k: 3, algorithm: "brute" }).fit(x, train.labels);
    const auto = await new KNeighborsClassifier({ k: 3 }).fit(x, train.labels);
    assert.equal(auto.fittedAlgorithm, "projection", "raw pixels get the projection screen by default");
    const expected = brute.kneighbors(queries);
    const actual = auto.kneighbors(queries);
    assert.deepEqual(actual.indices, expected.indices);
    assert.deepEqual(actual.distances, expected.distances);
    const fraction = auto.exactDistanceCount / (queries.rows * x.rows);
    assert.ok(fraction < 0.1, `exact distances for ${(100 * fraction).toFixed(1)}% of the pairs`);
    assert.ok(auto.score(queries, test.labels) > 0.85);
  });

  it("rejects bad hyperparameters and bad input", async () => {
    assert.throws(() => new KNeighborsClassifier({ k: 0 }), /k must be a positive integer/);
    assert.throws(() => new KNeighborsClassifier({ algorithm: "kd_tree" as never }), /algorithm must be/);
    assert.throws(
      () => new KNeighborsClassifier({ projectionDims: 0 }),
      /projectionDims must be a positive integer/,
    );
    assert.throws(() => new KNeighborsClassifier({ weights: "cosine" as never }), /weights must be/);
    const knn = new KNeighborsClassifier({ k: 3, kernels });
    assert.throws(() => knn.predict(train), /before fit/);
    await assert.rejects(
      knn.fit(
        points([
          [0, 0],
          [1, 1],
        ]),
        Uint8Array.from([0, 1]),
      ),
      /at least k=3/,
    );
    await knn.fit(train, labels);
    assert.throws(
      () => knn.predict(points([[1, 2, 3]])),
      /has 3 features per sample, but the model was fitted on 2/,
    );
  });
});
