import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";
import * as jpeg from "jpeg-js";
import { loadMnist } from "../../lib/data/mnist";
import { decodeImage, type GrayImage } from "../../lib/intake/decode";
import { readDigitFile } from "../../lib/intake";
import { inkAbove, toMnistDigit } from "../../lib/intake/mnist-recipe";
import { centerByMass } from "../../lib/preprocessing/deskew";
import { imageMoments } from "../../lib/preprocessing/moments";
import { Random } from "../../lib/random";

/** An MNIST digit (ink = 1) drawn large on a canvas of paper, as a person's photo might show it. */
function photograph(
  digit: Float32Array,
  options: { scale: number; left: number; top: number; width: number; height: number; darkInk?: boolean },
): GrayImage {
  const { scale, left, top, width, height, darkInk = true } = options;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = Math.floor((x - left) / scale);
      const sy = Math.floor((y - top) / scale);
      const ink = sx >= 0 && sx < 28 && sy >= 0 && sy < 28 ? digit[sy * 28 + sx] : 0;
      data[y * width + x] = darkInk ? 0.95 - 0.85 * ink : 0.05 + 0.85 * ink;
    }
  }
  return { width, height, data };
}

function correlation(a: Float32Array, b: Float32Array): number {
  const mean = (v: Float32Array) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** A ring (a "0") of the given pen width on white paper. */
function ring(size: number, penWidth: number): GrayImage {
  const data = new Float32Array(size * size).fill(1);
  const c = size / 2;
  const radius = size * 0.3;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot((x - c) / 0.7, y - c);
      if (Math.abs(d - radius) < penWidth / 2) data[y * size + x] = 0.1;
    }
  }
  return { width: size, height: size, data };
}

function strokeWidthOf(pixels: Float32Array): number {
  let area = 0;
  let perimeter = 0;
  for (let y = 1; y < 27; y++) {
    for (let x = 1; x < 27; x++) {
      if (pixels[y * 28 + x] < 0.5) continue;
      area++;
      if ([-1, 1, -28, 28].some((d) => pixels[y * 28 + x + d] < 0.5)) perimeter++;
    }
  }
  return (2 * area) / perimeter;
}

describe("image intake: any picture of a digit → a 28×28 MNIST image", function () {
  this.timeout(30000);
  const mnist = loadMnist({ trainLimit: 1, testLimit: 20 });
  const digits = Array.from({ length: 20 }, (_, i) =>
    Float32Array.from(mnist.test.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
  );
  /** How alike the intake's output is to the MNIST digit, both centred by mass to the same sub-pixel. */
  const likeness = (pixels: Float32Array, digit: Float32Array) => correlation(pixels, centerByMass(digit));

  it("recovers MNIST digits photographed large, off-centre, as dark ink on light paper", () => {
    for (const digit of digits) {
      const photo = photograph(digit, { scale: 9, left: 150, top: 40, width: 600, height: 400 });
      const result = toMnistDigit(photo);
      assert.equal(result.inverted, true);
      assert.ok(likeness(result.pixels, digit) > 0.8, `likeness ${likeness(result.pixels, digit)}`);
      const m = imageMoments(result.pixels);
      assert.ok(Math.abs(m.centerX - 13.5) < 0.6 && Math.abs(m.centerY - 13.5) < 0.6, "centred by mass");
    }
  });

  it("reads light ink on dark paper without inverting, and ignores uneven light and specks of noise", () => {
    const random = new Random(3);
    for (const digit of digits.slice(0, 8)) {
      const photo = photograph(digit, {
        scale: 7,
        left: 60,
        top: 70,
        width: 360,
        height: 320,
        darkInk: false,
      });
      assert.equal(toMnistDigit(photo).inverted, false);
      const lit = photograph(digit, { scale: 7, left: 60, top: 70, width: 360, height: 320 });
      for (let y = 0; y < lit.height; y++) {
        for (let x = 0; x < lit.width; x++) {
          // A shadow across the page, and salt-and-pepper specks.
          const i = y * lit.width + x;
          lit.data[i] = Math.max(0, lit.data[i] - 0.35 * (x / lit.width) + 0.03 * random.normal());
          if (random.uniform(0, 1) < 0.001) lit.data[i] = 0;
        }
      }
      const result = toMnistDigit(lit);
      assert.ok(likeness(result.pixels, digit) > 0.75, `likeness ${likeness(result.pixels, digit)}`);
    }
  });

  it("evens out pen widths: a thin ballpoint and a thick marker end near MNIST's stroke width", () => {
    const thin = strokeWidthOf(toMnistDigit(ring(400, 3)).pixels);
    const thick = strokeWidthOf(toMnistDigit(ring(400, 60)).pixels);
    const mnistWidth = strokeWidthOf(digits[3]).toFixed(2);
    for (const width of [thin, thick]) assert.ok(width > 1.2 && width < 4.5, `stroke width ${width}`);
    assert.ok(Math.abs(thin - thick) < 2, `thin ${thin} thick ${thick} (MNIST ${mnistWidth})`);
  });

  it("decodes PNG (with transparency) and JPEG files to the same digit", () => {
    const photo = photograph(digits[0], { scale: 6, left: 20, top: 20, width: 210, height: 210 });
    const rgba = new Uint8Array(photo.width * photo.height * 4);
    const transparent = new Uint8Array(rgba.length);
    for (let i = 0; i < photo.data.length; i++) {
      const v = Math.round(photo.data[i] * 255);
      rgba.set([v, v, v, 255], 4 * i);
      // A drawing on a transparent canvas: black ink, paper left transparent.
      transparent.set([0, 0, 0, Math.round((1 - photo.data[i]) * 255)], 4 * i);
    }
    const png = new PNG({ width: photo.width, height: photo.height });
    png.data = Buffer.from(transparent);
    const pngBytes = PNG.sync.write(png);
    const jpegBytes = jpeg.encode({ data: rgba, width: photo.width, height: photo.height }, 95).data;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "intake-"));
    fs.writeFileSync(path.join(dir, "a.png"), pngBytes);
    fs.writeFileSync(path.join(dir, "b.jpg"), jpegBytes);
    const fromPng = readDigitFile(path.join(dir, "a.png")).pixels;
    const fromJpeg = readDigitFile(path.join(dir, "b.jpg")).pixels;
    assert.ok(likeness(fromPng, digits[0]) > 0.8, `PNG likeness ${likeness(fromPng, digits[0])}`);
    assert.ok(likeness(fromJpeg, digits[0]) > 0.8, `JPEG likeness ${likeness(fromJpeg, digits[0])}`);
    assert.equal(decodeImage(pngBytes).width, 210);
  });

  it("takes as ink the values above the threshold, refusing none and mostly ink", () => {
    const values = Float32Array.from([0.1, 0.9, 0.5, 0.2, 0.7]);
    assert.deepEqual(Array.from(inkAbove(values, 0.5)), [0, 1, 0, 0, 1]);
    assert.throws(() => inkAbove(values, 0.95), /no digit found: the picture looks blank/);
    assert.throws(() => inkAbove(values, 0.15), /the picture is mostly ink \(all dark\?\)/);
  });

  it("refuses what holds no digit or is no image, with a message naming the file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "intake-bad-"));
    const write = (name: string, bytes: Uint8Array) => {
      fs.writeFileSync(path.join(dir, name), bytes);
      return path.join(dir, name);
    };
    const solid = (value: number) => {
      const png = new PNG({ width: 50, height: 40 });
      png.data = Buffer.alloc(50 * 40 * 4, value);
      for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
      return PNG.sync.write(png);
    };
    const goodPng = solid(255);
    assert.throws(
      () => readDigitFile(path.join(dir, "missing.png")),
      /missing\.png: cannot read the file \(ENOENT\)/,
    );
    assert.throws(
      () => readDigitFile(write("empty.png", new Uint8Array(0))),
      /empty\.png: the file is empty/,
    );
    assert.throws(
      () => readDigitFile(write("notes.png", Buffer.from("hello"))),
      /notes\.png: not a PNG or JPEG image/,
    );
    assert.throws(
      () => readDigitFile(write("cut.png", goodPng.subarray(0, 60))),
      /cut\.png: damaged PNG data/,
    );
    assert.throws(
      () => readDigitFile(write("blank.png", goodPng)),
      /blank\.png: no digit found: the picture has no contrast/,
    );
    assert.throws(() => readDigitFile(write("black.png", solid(0))), /black\.png: no digit found/);
    const huge = Buffer.from(goodPng);
    huge.writeUInt32BE(100_000, 16);
    huge.writeUInt32BE(100_000, 20);
    assert.throws(
      () => readDigitFile(write("huge.png", huge)),
      /huge\.png: the image is 100000×100000 = 10000000000 pixels, above the limit/,
    );
    const zero = Buffer.from(goodPng);
    zero.writeUInt32BE(0, 16);
    assert.throws(
      () => readDigitFile(write("zero.png", zero)),
      /zero\.png: the image has no pixels \(0×40\)/,
    );
  });
});
