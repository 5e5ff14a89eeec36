import { strict as assert } from "assert";
import { matrix } from "../../lib/matrix";
import { Random } from "../../lib/random";
import {
  Deskew,
  MinMaxScaler,
  PixelScaler,
  StandardScaler,
  flattenImages,
  reshapeToImages,
  imageAt,
} from "../../lib/preprocessing";

function randomMatrix(rows: number, cols: number, seed: number) {
  const random = new Random(seed);
  return matrix(
    Float32Array.from({ length: rows * cols }, () => random.uniform(-3, 5)),
    rows,
    cols,
  );
}

describe("scalers", () => {
  it("transformers without options take only {}, refuse any key naming themselves, and clone unfitted", () => {
    for (const [name, make] of [
      ["MinMaxScaler", (options: object) => new MinMaxScaler(options as Record<string, never>)],
      ["Deskew", (options: object) => new Deskew(options as Record<string, never>)],
    ] as const) {
      assert.throws(() => make({ range: [0, 1] }), new RegExp(`${name}: unknown option "range"`));
      const fitted = make({}).fit(randomMatrix(10, 16, 2));
      assert.deepEqual(fitted.getParams(), {});
      assert.equal(fitted.clone().isFitted, false);
      assert.equal(fitted.clone().name, name);
    }
  });

  it("StandardScaler gives mean 0 and std 1 per feature on the training data, and only centres constant features", () => {
    const x = randomMatrix(200, 5, 1);
    for (let r = 0; r < 200; r++) x.data[r * 5 + 3] = 7; // a constant feature, like MNIST's border pixels
    const scaler = new StandardScaler();
    const z = scaler.fitTransform(x);
    for (let c = 0; c < 5; c++) {
      let sum = 0;
      let squares = 0;
      for (let r = 0; r < 200; r++) sum += z.data[r * 5 + c];
      const mean = sum / 200;
      for (let r = 0; r < 200; r++) squares += (z.data[r * 5 + c] - mean) ** 2;
      assert.ok(Math.abs(mean) < 1e-5, `feature ${c} mean ${mean}`);
      const std = Math.sqrt(squares / 200);
      if (c === 3) assert.equal(std, 0);
      else assert.ok(Math.abs(std - 1) < 1e-5, `feature ${c} std ${std}`);
    }
    const back = scaler.inverseTransform(z);
    x.data.forEach((v, i) => assert.ok(Math.abs(back.data[i] - v) < 1e-4));
  });

  it("transforms other splits with the training statistics", () => {
    const scaler = new StandardScaler().fit(matrix(Float32Array.from([0, 10, 2, 10]), 2, 2));
    assert.deepEqual(Array.from(scaler.transform(matrix(Float32Array.from([3, 11]), 1, 2)).data), [
      2,
      11 - 10,
    ]);
  });

  it("MinMaxScaler maps training features to [0, 1] and PixelScaler divides by 255", () => {
    const z = new MinMaxScaler().fitTransform(matrix(Float32Array.from([2, 5, 4, 5, 6, 5]), 3, 2));
    assert.deepEqual(Array.from(z.data), [0, 0, 0.5, 0, 1, 0]);
    const p = new PixelScaler().fitTransform(matrix(Float32Array.from([0, 51, 255]), 1, 3));
    assert.deepEqual(Array.from(p.data), [0, Math.fround(0.2), 1]);
  });

  it("refuses transform before fit and a different feature count, naming the problem", () => {
    for (const scaler of [new StandardScaler(), new MinMaxScaler(), new PixelScaler()]) {
      assert.throws(() => scaler.transform(randomMatrix(2, 3, 0)), /transform called before fit/);
      scaler.fit(randomMatrix(4, 3, 0));
      assert.throws(
        () => scaler.transform(randomMatrix(2, 4, 0)),
        /has 4 features per sample, but it was fitted on 3/,
      );
    }
    assert.throws(
      () => new StandardScaler({ minStd: -1 }),
      /StandardScaler: minStd must be a finite number ≥ 0, got -1/,
    );
    const misspelled = { minSd: 1 } as unknown as { minStd: number };
    assert.throws(
      () => new StandardScaler(misspelled),
      /StandardScaler: unknown option "minSd" \(did you mean "minStd"\?\)/,
    );
    assert.throws(
      () => new PixelScaler(Infinity),
      /PixelScaler: maxValue must be a positive number, got Infinity/,
    );
  });

  it("rejects a NaN or Infinity in fit and transform, naming its row and column, instead of being poisoned", () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const scaler of [new StandardScaler(), new MinMaxScaler()]) {
        const x = randomMatrix(4, 3, 1);
        x.data[2 * 3 + 1] = bad;
        // One such value used to turn the whole column's mean/std (or min/max) into NaN or Infinity.
        assert.throws(
          () => scaler.fit(x),
          new RegExp(`${scaler.name}: fit: x holds ${bad} at row 2, column 1`),
        );
        assert.strictEqual(scaler.isFitted, false);
        scaler.fit(randomMatrix(4, 3, 2));
        assert.throws(
          () => scaler.transform(x),
          new RegExp(`${scaler.name}: transform: x holds ${bad} at row 2, column 1`),
        );
        assert.throws(() => scaler.fitTransform(x), /values must be finite numbers/);
      }
    }
  });
});

describe("flatten / reshape", () => {
  it("round-trips a batch without copying and checks the shape", () => {
    const data = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const x = flattenImages({ data, count: 2, height: 3, width: 4 });
    assert.equal(x.rows, 2);
    assert.equal(x.cols, 12);
    assert.equal(reshapeToImages(x, 3, 4).data, data);
    assert.deepEqual(
      Array.from(imageAt(x, 1)),
      Array.from({ length: 12 }, (_, i) => 12 + i),
    );
    assert.throws(() => reshapeToImages(x, 28, 28), /12 features cannot be 28×28/);
    assert.throws(() => imageAt(x, 2), /imageAt: index must be an integer in 0\.\.1, got 2/);
    assert.throws(
      () => reshapeToImages(x, 0, 12),
      /reshapeToImages: height must be a positive integer, got 0/,
    );
  });
});
