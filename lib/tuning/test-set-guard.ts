/**
 * The tuner never sees the test set. Its API takes training data only and makes its own validation
 * splits; on top of that, a notebook registers its test set once (`registerTestSet`) and every search
 * compares what it is given against it: the same data (by checksum), or training data that contains
 * most of the test rows (train and test concatenated), fails loudly before any training.
 */
import { createHash } from "crypto";
import type { LabelledData } from "./labelled-data";

interface RegisteredTestSet {
  checksum: string;
  rows: number;
  rowHashes: Set<number>;
}

const registered: RegisteredTestSet[] = [];

/** Thrown when test data reaches the tuner. */
export class TestSetLeakError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TestSetLeakError";
  }
}

/** SHA-256 (first 16 hex digits) of the shape, the feature bytes and the labels. */
export function dataChecksum(data: LabelledData): string {
  const { x, y } = data;
  return createHash("sha256")
    .update(`${x.rows}x${x.cols}:`)
    .update(new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength))
    .update(y)
    .digest("hex")
    .slice(0, 16);
}

/** Remembers `test` as data the tuner must refuse; returns its checksum. Registering twice is harmless. */
export function registerTestSet(test: LabelledData): string {
  const checksum = dataChecksum(test);
  if (!registered.some((r) => r.checksum === checksum)) {
    registered.push({ checksum, rows: test.x.rows, rowHashes: new Set(rowHashes(test)) });
  }
  return checksum;
}

/** Forgets every registered test set (tests use this to start clean). */
export function clearRegisteredTestSets(): void {
  registered.length = 0;
}

/**
 * Throws a TestSetLeakError if `data` is a registered test set, or if it holds at least half of one's
 * rows (a handful of exact duplicates between MNIST's train and test images is normal; half is not).
 */
export function assertNotTestSet(who: string, data: LabelledData): void {
  if (registered.length === 0) return;
  const checksum = dataChecksum(data);
  const exact = registered.find((r) => r.checksum === checksum);
  if (exact) {
    throw new TestSetLeakError(
      `${who}: the data passed in is the registered test set (checksum ${checksum}); the tuner takes ` +
        `training data only and makes its own validation splits. Evaluate on the test set once, after tuning.`,
    );
  }
  const hashes = rowHashes(data);
  for (const test of registered) {
    let found = 0;
    for (const h of hashes) if (test.rowHashes.has(h)) found++;
    if (found >= test.rows / 2) {
      throw new TestSetLeakError(
        `${who}: ${found} of the ${test.rows} rows of the registered test set (checksum ${test.checksum}) are ` +
          `in the data passed in; the tuner must only see training data.`,
      );
    }
  }
}

/** A 32-bit FNV-1a hash of every row's bytes. */
function rowHashes(data: LabelledData): Uint32Array {
  const { x } = data;
  const words = new Uint32Array(x.data.buffer, x.data.byteOffset, x.data.length);
  const out = new Uint32Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let h = 0x811c9dc5;
    for (let j = r * x.cols, end = j + x.cols; j < end; j++) h = Math.imul(h ^ words[j], 0x01000193);
    out[r] = h >>> 0;
  }
  return out;
}
