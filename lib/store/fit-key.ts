/**
 * What makes two fits the same fit: the model's name, class and parameters, the training data, the
 * seed and the library version. Each part is kept (in the card) as well as the hash, so that when a key
 * changes the store can say which part did.
 */
import { createHash } from "crypto";
import type { Matrix } from "../matrix";
import type { Params } from "../params";

export interface KeyParts {
  name: string;
  kind: string;
  params: unknown;
  dataChecksum: string;
  seed: number;
  libraryVersion: string;
}

/** Parameters that change how a fit runs, not what it produces. */
const IGNORED_PARAMS = new Set(["kernels", "verbose", "predictBatchSize"]);

/**
 * Parameters as key material: JSON values as they are; a function (an augmentation hook, a schedule) by
 * the options it carries (`fn.options`, as `makeAugmenter` attaches) or else a hash of its source; a
 * class instance by its class name.
 */
export function keyParams(params: Params): unknown {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(params).sort()) {
    const bare = key.slice(key.lastIndexOf(".") + 1);
    if (IGNORED_PARAMS.has(bare) || params[key] === undefined) continue;
    out[key] = keyValue(params[key]);
  }
  return out;
}

function keyValue(value: unknown): unknown {
  if (typeof value === "function") {
    const options = (value as { options?: unknown }).options;
    if (options !== undefined) return { function: value.name || "anonymous", options: keyValue(options) };
    const source = createHash("sha256").update(value.toString()).digest("hex").slice(0, 16);
    return { function: value.name || "anonymous", source };
  }
  if (Array.isArray(value)) return value.map(keyValue);
  if (value !== null && typeof value === "object") {
    if (ArrayBuffer.isView(value)) return { array: Array.from(value as unknown as ArrayLike<number>) };
    if (Object.getPrototypeOf(value) !== Object.prototype) return { instance: value.constructor?.name };
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, keyValue((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function keyHash(parts: KeyParts): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

const checksums = new WeakMap<object, Map<string, string>>();

/**
 * SHA-256 over the shape and bytes of `x`, the labels and, when given, the validation data. Cached per
 * array (notebooks fit several models on the same data; hashing 60,000 images takes a few tenths of a
 * second): arrays passed to the store must not be changed in place afterwards.
 */
export function dataChecksum(
  x: Matrix,
  y: ArrayLike<number>,
  validation?: { x: Matrix; y: ArrayLike<number> },
): string {
  const parts = [hashOf(x.data, `${x.rows}x${x.cols}`), hashOf(y, "labels")];
  if (validation)
    parts.push(
      hashOf(validation.x.data, `${validation.x.rows}x${validation.x.cols}`),
      hashOf(validation.y, "labels"),
    );
  return combineHashes(parts);
}

/**
 * dataChecksum of the rows of `parts` stacked in order into one x and one y (a training set and its
 * validation split trained on together), computed without building the stacked copy.
 */
export function stackedDataChecksum(parts: { x: Matrix; y: Uint8Array }[]): string {
  const rows = parts.reduce((total, p) => total + p.x.rows, 0);
  return combineHashes([
    hashChunks(
      `${rows}x${parts[0].x.cols}`,
      "Float32Array",
      parts.map((p) => p.x.data),
    ),
    hashChunks(
      "labels",
      "Uint8Array",
      parts.map((p) => p.y),
    ),
  ]);
}

/** A data set's checksum from its arrays' hashes. */
function combineHashes(hashes: string[]): string {
  return createHash("sha256").update(hashes.join(",")).digest("hex");
}

/** SHA-256 of "label:kind:" then the bytes of each chunk in turn (one array, or several stacked). */
function hashChunks(label: string, kind: string, chunks: ArrayBufferView[]): string {
  const hash = createHash("sha256").update(`${label}:${kind}:`);
  for (const c of chunks) hash.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  return hash.digest("hex");
}

function hashOf(values: ArrayLike<number>, label: string): string {
  const owner = values as object;
  const cached = checksums.get(owner)?.get(label);
  if (cached) return cached;
  const view = ArrayBuffer.isView(values) ? values : Float64Array.from(values);
  const kind = ArrayBuffer.isView(values) ? values.constructor.name : "Array";
  const hash = hashChunks(label, kind, [view]);
  if (!checksums.has(owner)) checksums.set(owner, new Map());
  checksums.get(owner)!.set(label, hash);
  return hash;
}

/** Why a saved fit's key differs from the one asked for, part by part, in words. */
export function keyDifference(saved: Partial<KeyParts> | undefined, wanted: KeyParts): string {
  if (!saved) return "the saved model has no key (saved by an older version)";
  const reasons: string[] = [];
  if (saved.kind !== wanted.kind) reasons.push(`the model changed from ${saved.kind} to ${wanted.kind}`);
  const changed = paramChanges(saved.params, wanted.params);
  if (changed.length > 0) reasons.push(`parameters changed: ${changed.join(", ")}`);
  if (saved.dataChecksum !== wanted.dataChecksum) reasons.push("the training data changed");
  if (saved.seed !== wanted.seed) reasons.push(`the seed changed from ${saved.seed} to ${wanted.seed}`);
  if (saved.libraryVersion !== wanted.libraryVersion)
    reasons.push(`the library version changed from ${saved.libraryVersion} to ${wanted.libraryVersion}`);
  return reasons.length > 0 ? reasons.join("; ") : "the key changed";
}

function paramChanges(saved: unknown, wanted: unknown): string[] {
  const a = (saved ?? {}) as Record<string, unknown>;
  const b = (wanted ?? {}) as Record<string, unknown>;
  const show = (v: unknown) => (v === undefined ? "unset" : JSON.stringify(v));
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k} ${show(a[k])} → ${show(b[k])}`);
}
