/** Writes a small synthetic MNIST-format dataset folder for loader tests. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { encodeIdx } from "../../lib/data/idx";

export interface FixtureOptions {
  trainCount?: number;
  testCount?: number;
  /** Labels to write for the training split (default i % 10). */
  trainLabels?: number[];
  gzip?: boolean;
  omit?: string[];
  /** Side of the square test images (default 28, like the training images). */
  testImageSize?: number;
}

export function writeFixtureDataset(options: FixtureOptions = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-fixture-"));
  const trainCount = options.trainCount ?? 20;
  const testCount = options.testCount ?? 10;
  const splits = [
    ["train", trainCount, options.trainLabels ?? Array.from({ length: trainCount }, (_, i) => i % 10), 28],
    ["t10k", testCount, Array.from({ length: testCount }, (_, i) => (i * 3) % 10), options.testImageSize ?? 28],
  ] as const;
  for (const [prefix, count, labels, side] of splits) {
    const images = Uint8Array.from({ length: count * side * side }, (_, i) => (i * 7) % 256);
    const files: [string, Uint8Array][] = [
      [`${prefix}-images-idx3-ubyte`, encodeIdx(images, [count, side, side])],
      [`${prefix}-labels-idx1-ubyte`, encodeIdx(Uint8Array.from(labels), [labels.length])],
    ];
    for (const [name, bytes] of files) {
      if (options.omit?.includes(name)) continue;
      fs.writeFileSync(path.join(dir, options.gzip ? `${name}.gz` : name), options.gzip ? zlib.gzipSync(bytes) : bytes);
    }
  }
  return dir;
}
