/**
 * Parser for the IDX format MNIST ships in (http://yann.lecun.com/exdb/mnist/): a 4-byte magic number
 * (two zero bytes, a type code, the number of dimensions), the dimensions as big-endian uint32s, then
 * the values. Gzipped files are recognised by their own magic bytes and inflated first.
 */
import * as fs from "fs";
import * as zlib from "zlib";

export interface IdxArray {
  /** The values, one byte each (MNIST stores pixels and labels as unsigned bytes). */
  data: Uint8Array;
  /** Dimensions from the header, e.g. [60000, 28, 28] for images or [60000] for labels. */
  shape: number[];
}

/** Thrown for any file that is not a well-formed IDX file; the message names the file and the problem. */
export class IdxFormatError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "IdxFormatError";
  }
}

const UNSIGNED_BYTE = 0x08;
const TYPE_NAMES: Record<number, string> = {
  0x08: "unsigned byte",
  0x09: "signed byte",
  0x0b: "int16",
  0x0c: "int32",
  0x0d: "float32",
  0x0e: "float64",
};

/** Reads and parses an IDX file (raw or gzipped). `expectedRank` guards against swapping images and labels. */
export function readIdxFile(file: string, expectedRank?: number): IdxArray {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new IdxFormatError(file, `cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseIdx(bytes, file, expectedRank);
}

export function parseIdx(input: Uint8Array, file = "<buffer>", expectedRank?: number): IdxArray {
  const bytes = isGzip(input) ? gunzip(input, file) : input;
  if (bytes.length < 4) throw new IdxFormatError(file, `truncated: ${bytes.length} bytes, too short for the 4-byte IDX magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(
      file,
      `wrong magic number 0x${hex(bytes, 0, 4)}: an IDX file starts with two zero bytes (is this really an MNIST IDX file?)`,
    );
  }
  const type = bytes[2];
  const rank = bytes[3];
  if (type !== UNSIGNED_BYTE) {
    const name = TYPE_NAMES[type] ?? "unknown";
    throw new IdxFormatError(file, `unsupported IDX value type 0x${type.toString(16).padStart(2, "0")} (${name}); MNIST files hold unsigned bytes (0x08)`);
  }
  if (rank === 0) throw new IdxFormatError(file, "IDX header declares 0 dimensions");
  if (expectedRank !== undefined && rank !== expectedRank) {
    throw new IdxFormatError(file, `expected ${expectedRank} dimension(s) but the header declares ${rank} (images have 3, labels 1)`);
  }
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new IdxFormatError(file, `truncated header: ${rank} dimensions need ${headerLength} bytes, the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    if (size === 0) throw new IdxFormatError(file, `dimension ${d} is 0`);
    shape.push(size);
  }
  const expectedValues = shape.reduce((a, b) => a * b, 1);
  const available = bytes.length - headerLength;
  if (available < expectedValues) {
    throw new IdxFormatError(
      file,
      `truncated: header promises ${shape.join("×")} = ${expectedValues} values but only ${available} bytes follow (file cut short?)`,
    );
  }
  if (available > expectedValues) {
    throw new IdxFormatError(file, `${available - expectedValues} unexpected trailing bytes after ${shape.join("×")} values`);
  }
  // A copy, so the (possibly large) file buffer is not kept alive by a view into it.
  const data = new Uint8Array(expectedValues);
  data.set(bytes.subarray(headerLength));
  return { data, shape };
}

/** Encodes unsigned bytes as an IDX file (used by tests and to cache subsets). */
export function encodeIdx(data: Uint8Array, shape: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header[2] = UNSIGNED_BYTE;
  header[3] = shape.length;
  shape.forEach((size, d) => view.setUint32(4 + 4 * d, size, false));
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gunzip(bytes: Uint8Array, file: string): Uint8Array {
  try {
    return zlib.gunzipSync(bytes);
  } catch (err) {
    throw new IdxFormatError(file, `gzip data is corrupt or truncated (${(err as Error).message})`);
  }
}

function hex(bytes: Uint8Array, start: number, end: number): string {
  return Array.from(bytes.subarray(start, end), (b) => b.toString(16).padStart(2, "0")).join("");
}
