import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";
import { loadMnist } from "../../lib/data/mnist";
import { toMatrix, take } from "../../lib/data/dataset";
import type { GrayImage } from "../../lib/intake/decode";
import { CnnClassifier } from "../../lib/models/scratch/cnn-classifier";
import {
  digitsInPicture,
  drawDigit,
  fineTune,
  readPersonalSamples,
  syntheticPerson,
} from "../../lib/personal";
import { Random } from "../../lib/random";

function pngBytes(image: GrayImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  for (let i = 0; i < image.data.length; i++) {
    const v = Math.round(255 * image.data[i]);
    png.data.set([v, v, v, 255], 4 * i);
  }
  return PNG.sync.write(png);
}

function accuracy(model: CnnClassifier, data: { x: { rows: number }; y: Int32Array }): number {
  const predicted = model.predict(data.x as never);
  let correct = 0;
  for (let i = 0; i < data.y.length; i++) if (predicted[i] === data.y[i]) correct++;
  return correct / data.y.length;
}

describe("personal: the synthetic person", () => {
  it("is deterministic per seed, cycles through the digits and gives MNIST rows", () => {
    const a = syntheticPerson({ perDigit: 2, seed: 3 });
    const b = syntheticPerson({ perDigit: 2, seed: 3 });
    const c = syntheticPerson({ perDigit: 2, seed: 4 });
    assert.equal(a.x.rows, 20);
    assert.equal(a.x.cols, 784);
    assert.deepEqual(Array.from(a.y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(a.x.data, b.x.data);
    assert.notDeepEqual(a.x.data, c.x.data);
    assert.ok(a.x.data.every((v) => v >= 0 && v <= 1));
    // Every image holds ink, centred like MNIST's: the corners are empty.
    for (let row = 0; row < a.x.rows; row++) {
      const image = a.x.data.subarray(row * 784, (row + 1) * 784);
      assert.ok(image.reduce((s, v) => s + v, 0) > 20, `row ${row} has too little ink`);
      assert.equal(image[0] + image[27] + image[783 - 27] + image[783], 0);
    }
  });

  it("refuses unknown options and bad counts", () => {
    assert.throws(() => syntheticPerson({ perDigit: 0 }), /perDigit/);
    assert.throws(() => syntheticPerson({ perdigit: 3 } as never), /perdigit/);
  });
});

describe("personal: readPersonalSamples", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "personal-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads <digit>_*.png files sorted by name, skipping other files", () => {
    const random = new Random(0);
    fs.writeFileSync(path.join(dir, "7_b.png"), pngBytes(drawDigit(7, random)));
    fs.writeFileSync(path.join(dir, "3_a.png"), pngBytes(drawDigit(3, random)));
    fs.writeFileSync(path.join(dir, "README.md"), "my digits");
    const samples = readPersonalSamples(dir);
    assert.deepEqual(Array.from(samples.y), [3, 7]);
    assert.deepEqual(
      samples.files.map((f) => path.basename(f)),
      ["3_a.png", "7_b.png"],
    );
    assert.equal(samples.x.rows, 2);
    assert.ok(samples.x.data.subarray(0, 784).some((v) => v > 0.9));
  });

  it("names the file for a label outside 0–9, a name without a label, or bytes that are not an image", () => {
    const image = pngBytes(drawDigit(1, new Random(1)));
    fs.writeFileSync(path.join(dir, "12_a.png"), image);
    assert.throws(() => readPersonalSamples(dir), /12_a\.png: the label must be a digit 0–9, got 12/);
    fs.rmSync(path.join(dir, "12_a.png"));
    fs.writeFileSync(path.join(dir, "one.png"), image);
    assert.throws(() => readPersonalSamples(dir), /one\.png.*<digit>_<anything>/);
    fs.rmSync(path.join(dir, "one.png"));
    fs.writeFileSync(path.join(dir, "4_text.png"), "this is not a picture");
    assert.throws(() => readPersonalSamples(dir), /4_text\.png: not a PNG or JPEG image/);
  });

  it("says so when the folder is missing", () => {
    assert.throws(() => readPersonalSamples(path.join(dir, "nobody")), /nobody \(no such folder\)/);
  });
});

describe("personal: fineTune", function () {
  this.timeout(180_000);
  let model: CnnClassifier;
  let mnist: { x: ReturnType<typeof toMatrix>; y: Uint8Array };

  before(async () => {
    const train = take(loadMnist({ trainLimit: 3000, testLimit: 1 }).train, 3000);
    mnist = { x: toMatrix(train), y: train.labels };
    model = new CnnClassifier({ preset: "speed", epochs: 2, seed: 0 });
    await model.fit(mnist.x, mnist.y);
  });

  it("refuses too few samples and labels outside 0–9, naming them", async () => {
    const few = syntheticPerson({ perDigit: 1, seed: 0 });
    const five = { x: { ...few.x, rows: 5, data: few.x.data.slice(0, 5 * 784) }, y: few.y.slice(0, 5) };
    await assert.rejects(fineTune(model, five), /at least 10 labelled samples, got 5 \(1×0, 1×1/);
    const bad = { x: few.x, y: Int32Array.from(few.y, (d) => (d === 3 ? 11 : d)) };
    await assert.rejects(fineTune(model, bad), /label 3 must be a digit 0–9, got 11/);
  });

  it("lifts the person's held-out accuracy and leaves the original model unchanged", async () => {
    const teach = syntheticPerson({ perDigit: 10, seed: 1 });
    const heldOut = syntheticPerson({ perDigit: 10, seed: 2 });
    const weightsBefore = JSON.stringify(model.saveWeights());
    const before = accuracy(model, heldOut);
    const epochs: number[] = [];
    const tuned = await fineTune(model, teach, { mnist, seed: 0, onEpoch: (log) => epochs.push(log.epoch) });
    const after = accuracy(tuned, heldOut);
    assert.notEqual(tuned, model);
    assert.equal(JSON.stringify(model.saveWeights()), weightsBefore, "the original's weights changed");
    assert.equal(accuracy(model, heldOut), before);
    assert.equal(epochs.length, 4);
    assert.ok(after >= before + 0.1, `held-out accuracy ${before} → ${after}: not lifted by 10 points`);
    assert.ok(after >= 0.9, `held-out accuracy after fine-tuning is only ${after}`);
  });
});

describe("personal: digitsInPicture", () => {
  /** Pictures side by side on one sheet of paper, `gap` pixels apart. */
  function sideBySide(pictures: GrayImage[], gap: number): GrayImage {
    const height = Math.max(...pictures.map((p) => p.height));
    const width = pictures.reduce((s, p) => s + p.width, 0) + gap * (pictures.length - 1);
    const data = new Float32Array(width * height).fill(0.97);
    let left = 0;
    for (const p of pictures) {
      for (let y = 0; y < p.height; y++)
        data.set(p.data.subarray(y * p.width, (y + 1) * p.width), y * width + left);
      left += p.width + gap;
    }
    return { width, height, data };
  }

  it("finds each digit left to right, joining the pieces of one digit (a seven's bar, a four's stem)", () => {
    const random = new Random(2);
    const pictures = [4, 7, 1].map((d) => drawDigit(d, random));
    const found = digitsInPicture(sideBySide(pictures, 10));
    assert.equal(found.length, 3);
    for (let i = 1; i < found.length; i++) assert.ok(found[i].box.x > found[i - 1].box.x);
    // Each digit read alone through the recipe gives the same pixels as when found among the others.
    pictures.forEach((picture, i) => {
      const alone = digitsInPicture(picture);
      assert.equal(alone.length, 1);
      const difference = alone[0].pixels.reduce((s, v, j) => s + Math.abs(v - found[i].pixels[j]), 0);
      assert.ok(difference < 5, `digit ${i} differs by ${difference} from the same digit alone`);
    });
  });

  it("refuses a blank and an all-dark picture", () => {
    assert.throws(
      () => digitsInPicture({ width: 50, height: 40, data: new Float32Array(2000).fill(1) }),
      /no digit found/,
    );
    assert.throws(
      () => digitsInPicture({ width: 50, height: 40, data: new Float32Array(2000) }),
      /no digit found/,
    );
  });
});
