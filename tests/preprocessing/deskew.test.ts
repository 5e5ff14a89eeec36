import { strict as assert } from "assert";
import { centerByMass, deskew, imageMoments } from "../../lib/preprocessing";

/** A vertical bar 2 pixels wide, slanted by `slope` columns per row, on a 28×28 canvas. */
function slantedBar(slope: number): Float32Array {
  const image = new Float32Array(28 * 28);
  for (let y = 4; y < 24; y++) {
    const x = Math.round(14 + slope * (y - 14));
    image[y * 28 + x] = 1;
    image[y * 28 + x + 1] = 1;
  }
  return image;
}

describe("deskew and centerByMass", () => {
  it("stands a synthetically sheared bar nearly upright and keeps its centre of mass", () => {
    const bar = slantedBar(0.4);
    const before = imageMoments(bar);
    assert.ok(Math.abs(before.covarianceXY / before.varianceY) > 0.35);
    const upright = deskew(bar);
    const after = imageMoments(upright);
    assert.ok(
      Math.abs(after.covarianceXY / after.varianceY) < 0.02,
      `slope after ${after.covarianceXY / after.varianceY}`,
    );
    assert.ok(
      Math.abs(after.centerX - before.centerX) < 0.05 && Math.abs(after.centerY - before.centerY) < 0.05,
    );
  });

  it("moves the centre of mass to the image centre, for bytes and floats alike", () => {
    const image = new Uint8Array(28 * 28);
    image[3 * 28 + 5] = 200;
    image[4 * 28 + 6] = 100;
    image[5 * 28 + 5] = 50;
    const centered = centerByMass(image);
    assert.ok(centered instanceof Uint8Array);
    const floats = centerByMass(Float32Array.from(image));
    const m = imageMoments(floats);
    assert.ok(
      Math.abs(m.centerX - 13.5) < 1e-4 && Math.abs(m.centerY - 13.5) < 1e-4,
      `centre ${m.centerX}, ${m.centerY}`,
    );
    const bytes = imageMoments(centered);
    assert.ok(Math.abs(bytes.centerX - 13.5) < 0.1 && Math.abs(bytes.centerY - 13.5) < 0.1);
  });

  it("leaves blank and upright images unchanged and rejects wrong sizes", () => {
    assert.deepEqual(deskew(new Float32Array(784)), new Float32Array(784));
    const upright = slantedBar(0);
    const result = deskew(upright);
    upright.forEach((v, i) => assert.ok(Math.abs(result[i] - v) < 1e-6));
    assert.throws(() => deskew(new Float32Array(100)), /image has 100 pixels, but a 28×28 image has 784/);
    assert.throws(
      () => centerByMass(new Uint8Array(16), { height: 4, width: 0 }),
      /centerByMass: width must be a positive integer, got 0/,
    );
  });
});
