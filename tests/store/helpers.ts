import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadMnist } from "../../lib/data/mnist";
import { toMatrix } from "../../lib/data/dataset";
import type { Matrix } from "../../lib/matrix";

export interface Split {
  train: { x: Matrix; y: Uint8Array };
  test: { x: Matrix; y: Uint8Array };
}

/** A small MNIST split, pixels in [0, 1]. */
export function smallMnist(trainLimit = 600, testLimit = 200): Split {
  const mnist = loadMnist({ trainLimit, testLimit });
  return {
    train: { x: toMatrix(mnist.train), y: mnist.train.labels },
    test: { x: toMatrix(mnist.test), y: mnist.test.labels },
  };
}

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `store-test-${label}-`));
}

/** True when the two arrays hold the same bits. */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
