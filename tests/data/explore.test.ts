import { strict as assert } from "assert";
import { makeDataset } from "../../lib/data/dataset";
import { boundingBox, findExactDuplicates, inkStatistics, meanImagePerClass, meanPerClass, pixelHistogram } from "../../lib/data/explore";

describe("exploration statistics", () => {
  // Three 3×3 images: a vertical bar, a dot, and the bar again with a different label.
  const bar = [0, 255, 0, 0, 255, 0, 0, 255, 0];
  const dot = [0, 0, 0, 0, 51, 0, 0, 0, 0];
  const ds = makeDataset(Uint8Array.from([...bar, ...dot, ...bar]), Uint8Array.of(1, 0, 7), 3, 3);

  it("bounding box of ink, and of a blank image", () => {
    assert.deepEqual(boundingBox(Uint8Array.from(bar), 3, 3), { top: 0, left: 1, width: 1, height: 3 });
    assert.deepEqual(boundingBox(new Uint8Array(9), 3, 3), { top: 0, left: 0, width: 0, height: 0 });
  });

  it("ink and box sizes per image", () => {
    const stats = inkStatistics(ds);
    assert.deepEqual(Array.from(stats.ink), [3, 0.2, 3]);
    assert.deepEqual(Array.from(stats.boxWidth), [1, 1, 1]);
    assert.deepEqual(Array.from(stats.boxHeight), [3, 1, 3]);
    assert.deepEqual(meanPerClass(stats.ink, ds.labels, 10).slice(0, 2), [0.2, 3]);
  });

  it("mean image per class", () => {
    const means = meanImagePerClass(ds, 10);
    assert.equal(means[1 * 9 + 4], 255);
    assert.equal(means[0 * 9 + 4], 51);
    assert.equal(means[5 * 9 + 4], 0);
  });

  it("histogram counts every pixel once", () => {
    const h = pixelHistogram(ds);
    assert.equal(h.reduce((a, b) => a + b, 0), 27);
    assert.equal(h[255], 6);
    assert.equal(h[51], 1);
  });

  it("finds duplicates within a set and flags conflicting labels", () => {
    const groups = findExactDuplicates(ds);
    assert.equal(groups.length, 1);
    assert.deepEqual(groups[0].first, [0, 2]);
    assert.equal(groups[0].conflictingLabels, true);
  });

  it("finds images shared between two sets", () => {
    const other = makeDataset(Uint8Array.from([...dot, ...new Array(9).fill(9)]), Uint8Array.of(0, 4), 3, 3);
    const groups = findExactDuplicates(ds, other);
    assert.equal(groups.length, 1);
    assert.deepEqual(groups[0].first, [1]);
    assert.deepEqual(groups[0].second, [0]);
    assert.equal(groups[0].conflictingLabels, false);
  });
});
