/**
 * One binary file of named arrays and the manifest entries that describe it: each array's name, dtype,
 * shape, byte offset, byte count and SHA-256. Reading checks everything before any value is used (the
 * file's length, every checksum, finite floats), so a cut, edited or NaN-filled file fails with an error
 * naming the file and the array instead of loading a model that predicts nonsense.
 */
import { createHash } from "crypto";
import * as fs from "fs";

export type StoredArray = Float32Array | Float64Array | Int32Array | Uint16Array | Uint8Array;

export const DTYPES = ["float32", "float64", "int32", "uint16", "uint8"] as const;
export type Dtype = (typeof DTYPES)[number];

export interface ArrayEntry {
  name: string;
  dtype: Dtype;
  shape: number[];
  /** Byte offset in the weights file (a multiple of the dtype's size). */
  offset: number;
  bytes: number;
  sha256: string;
}

export interface NamedArray {
  name: string;
  value: StoredArray;
  /** Default: [value.length]. */
  shape?: number[];
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function dtypeOf(value: StoredArray): Dtype {
  if (value instanceof Float32Array) return "float32";
  if (value instanceof Float64Array) return "float64";
  if (value instanceof Int32Array) return "int32";
  if (value instanceof Uint16Array) return "uint16";
  if (value instanceof Uint8Array) return "uint8";
  throw new TypeError(`weights file: unsupported array type ${Object.prototype.toString.call(value)}`);
}

const BYTES_PER: Record<Dtype, number> = { float32: 4, float64: 8, int32: 4, uint16: 2, uint8: 1 };

function bytesOf(value: StoredArray): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * Lays the arrays out back to back, each at a multiple of `align` bytes (8 by default, so any dtype can
 * be viewed in place; TensorFlow.js's format wants 4-byte values with no gaps, `align` 4); returns the
 * file's bytes and the manifest entries.
 */
export function packArrays(arrays: NamedArray[], align = 8): { data: Uint8Array; entries: ArrayEntry[] } {
  const seen = new Set<string>();
  let size = 0;
  const entries: ArrayEntry[] = arrays.map(({ name, value, shape }) => {
    if (seen.has(name)) throw new Error(`weights file: two arrays are named "${name}"`);
    seen.add(name);
    const dtype = dtypeOf(value);
    const arrayShape = shape ?? [value.length];
    if (arrayShape.reduce((a, b) => a * b, 1) !== value.length) {
      throw new RangeError(`weights file: ${name} has ${value.length} values, not shape [${arrayShape}]`);
    }
    if (dtype === "float32" || dtype === "float64") checkAllFinite(`weights file: ${name}`, value);
    const offset = Math.ceil(size / align) * align;
    size = offset + value.byteLength;
    return {
      name,
      dtype,
      shape: arrayShape,
      offset,
      bytes: value.byteLength,
      sha256: sha256Hex(bytesOf(value)),
    };
  });
  const data = new Uint8Array(size);
  arrays.forEach(({ value }, i) => data.set(bytesOf(value), entries[i].offset));
  return { data, entries };
}

/**
 * The arrays of `file` described by `entries`, each checked (bounds, byte count, SHA-256, finite values).
 * `file` names the weights file in errors.
 */
export function unpackArrays(file: string, data: Uint8Array, entries: unknown): Map<string, StoredArray> {
  if (!Array.isArray(entries)) throw new Error(`${file}: the manifest's arrays must be a list`);
  const arrays = new Map<string, StoredArray>();
  for (const raw of entries as ArrayEntry[]) {
    const name = typeof raw?.name === "string" ? raw.name : JSON.stringify(raw?.name);
    const who = `${file}: array ${name}`;
    if (!DTYPES.includes(raw.dtype)) throw new Error(`${who}: unknown dtype ${JSON.stringify(raw.dtype)}`);
    if (!Array.isArray(raw.shape) || !raw.shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new Error(`${who}: shape must be a list of sizes, got ${JSON.stringify(raw.shape)}`);
    const count = raw.shape.reduce((a, b) => a * b, 1);
    const bytes = count * BYTES_PER[raw.dtype];
    if (raw.bytes !== bytes)
      throw new Error(
        `${who}: ${raw.bytes} bytes recorded, but shape [${raw.shape}] of ${raw.dtype} needs ${bytes}`,
      );
    if (!Number.isInteger(raw.offset) || raw.offset < 0 || raw.offset % BYTES_PER[raw.dtype] !== 0) {
      const size = BYTES_PER[raw.dtype];
      throw new Error(
        `${who}: offset must be a non-negative multiple of ${size}, got ${JSON.stringify(raw.offset)}`,
      );
    }
    if (raw.offset + bytes > data.length) {
      throw new Error(
        `${who}: needs bytes ${raw.offset}–${raw.offset + bytes}, but the file has only ${data.length} ` +
          "(cut short?)",
      );
    }
    const slice = data.slice(raw.offset, raw.offset + bytes);
    const actual = sha256Hex(slice);
    if (actual !== raw.sha256)
      throw new Error(`${who}: SHA-256 is ${actual}, the manifest says ${raw.sha256} (the file was changed)`);
    const value = view(raw.dtype, slice.buffer);
    if (raw.dtype === "float32" || raw.dtype === "float64") checkAllFinite(who, value);
    arrays.set(raw.name, value);
  }
  return arrays;
}

function view(dtype: Dtype, buffer: ArrayBuffer): StoredArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(buffer);
    case "float64":
      return new Float64Array(buffer);
    case "int32":
      return new Int32Array(buffer);
    case "uint16":
      return new Uint16Array(buffer);
    case "uint8":
      return new Uint8Array(buffer);
  }
}

function checkAllFinite(who: string, value: StoredArray): void {
  for (let i = 0; i < value.length; i++) {
    if (!Number.isFinite(value[i])) throw new Error(`${who}: value ${i} is ${value[i]}, not a finite number`);
  }
}

/** Reads a file as bytes, with an error naming it when it is missing. */
export function readBytes(file: string): Uint8Array {
  if (!fs.existsSync(file)) throw new Error(`${file}: missing`);
  // A plain Uint8Array over the Buffer's bytes, not a copy (Buffer's own slice would not copy either).
  const bytes = fs.readFileSync(file);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Parses a JSON file, with errors naming it when it is missing or not JSON. */
export function readJson(file: string): unknown {
  if (!fs.existsSync(file)) throw new Error(`${file}: missing`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
}
