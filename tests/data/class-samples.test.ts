import { strict as assert } from "assert";
import { makeDataset } from "../../lib/data/dataset";
import { samplesPerClass } from "../../lib/data/class-samples";

describe("samplesPerClass", () => {
  const labels = Uint8Array.from([1, 0, 1, 2, 0, 2, 1]);
  const dataset = makeDataset(new Uint8Array(labels.length * 4), labels, 2, 2);

  it("takes the first images of each class, class by class", () => {
    assert.deepEqual(samplesPerClass(dataset, 2, 3), [1, 4, 0, 2, 3, 5]);
    assert.deepEqual(samplesPerClass(dataset, 1, 3), [1, 0, 3]);
  });

  it("names a class with too few images, and rejects a bad count", () => {
    assert.throws(() => samplesPerClass(dataset, 3, 3), /class 0 has 2 images, fewer than 3/);
    assert.throws(() => samplesPerClass(dataset, 0, 3), /perClass must be a positive integer, got 0/);
  });
});
