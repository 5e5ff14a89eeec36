import { strict as assert } from "assert";
import { classCounts, makeDataset, subset, take, toMatrix, trainValidationSplit } from "../../lib/data/dataset";

/** 2×2 images whose first two pixels spell the image's index, so every image is distinct. */
function syntheticDataset(count: number) {
  const images = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) images.set([i & 255, i >> 8, 7, 9], i * 4);
  const labels = Uint8Array.from({ length: count }, (_, i) => (i % 7 === 0 ? 0 : i % 10));
  return makeDataset(images, labels, 2, 2);
}

describe("datasets", () => {
  it("rejects images that do not match the labels", () => {
    assert.throws(() => makeDataset(new Uint8Array(10), new Uint8Array(3), 2, 2), /3 labels need 12 pixels of 2×2, got 10/);
  });

  it("subset copies the chosen samples in order and checks indices", () => {
    const ds = syntheticDataset(10);
    const s = subset(ds, [3, 1]);
    assert.deepEqual(Array.from(s.images), [3, 0, 7, 9, 1, 0, 7, 9]);
    assert.deepEqual(Array.from(s.labels), [3, 1]);
    assert.throws(() => subset(ds, [10]), /subset: indices\[0\] must be an integer in 0\.\.9, got 10/);
  });

  it("take keeps the first n", () => {
    assert.equal(take(syntheticDataset(10), 4).count, 4);
    assert.equal(take(syntheticDataset(10), 40).count, 10);
  });

  it("take rejects negative, fractional and NaN counts (−5 used to drop the last 5 samples)", () => {
    for (const n of [-5, 2.5, NaN]) {
      assert.throws(() => take(syntheticDataset(10), n), new RegExp(`take: n must be an integer ≥ 0, got ${n}`));
    }
  });

  it("splits into disjoint, exactly sized, stratified, seeded parts", () => {
    const ds = syntheticDataset(1000);
    const { train, validation } = trainValidationSplit(ds, { validationSize: 100, seed: 7 });
    assert.equal(validation.count, 100);
    assert.equal(train.count, 900);
    const key = (d: typeof ds, i: number) => `${d.images[i * 4]},${d.images[i * 4 + 1]}`;
    const seen = new Set(Array.from({ length: train.count }, (_, i) => key(train, i)));
    for (let i = 0; i < validation.count; i++) assert.ok(!seen.has(key(validation, i)));
    const all = classCounts(ds.labels);
    const val = classCounts(validation.labels);
    all.forEach((n, c) => assert.ok(Math.abs(val[c] - n / 10) <= 1, `class ${c}: ${val[c]} of ${n}`));
    const again = trainValidationSplit(ds, { validationSize: 100, seed: 7 });
    assert.deepEqual(Array.from(again.validation.images), Array.from(validation.images));
    const other = trainValidationSplit(ds, { validationSize: 100, seed: 8 });
    assert.notDeepEqual(Array.from(other.validation.images), Array.from(validation.images));
  });

  it("rejects impossible validation sizes", () => {
    assert.throws(() => trainValidationSplit(syntheticDataset(10), { validationSize: 10 }), /trainValidationSplit: validationSize must be an integer in 1\.\.9, got 10/);
    assert.throws(() => trainValidationSplit(syntheticDataset(10), { validationFraction: 1.5 }), /validationFraction must be a number in \(0, 1\), got 1.5/);
  });

  it("rejects aliasing seeds and misspelled options", () => {
    const ds = syntheticDataset(100);
    assert.throws(() => trainValidationSplit(ds, { seed: 1.9 }), /trainValidationSplit: seed must be an integer in 0\.\.4294967295, got 1.9/);
    const misspelled = { validationSise: 10 } as unknown as { validationSize: number };
    assert.throws(() => trainValidationSplit(ds, misspelled), /unknown option "validationSise" \(did you mean "validationSize"\?\)/);
  });

  it("toMatrix scales bytes to [0, 1] floats, one row per image", () => {
    const m = toMatrix(syntheticDataset(3));
    assert.equal(m.rows, 3);
    assert.equal(m.cols, 4);
    assert.ok(Math.abs(m.data[6] - 7 / 255) < 1e-7);
  });
});
