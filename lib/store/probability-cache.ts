/**
 * A stored model's probabilities on a data set, kept in the model's own folder: the dashboard (notebook
 * 08) scores every stored model on the test images, and loading 45 small arrays is much cheaper than
 * loading and running 45 models. Each cached array is two files, `probabilities-<data>.f32` (float32
 * rows × 10) and `probabilities-<data>.json` (what it was computed from and the array's SHA-256),
 * keyed by the model's fingerprint and the data's checksum. Retraining rewrites the whole folder, so it
 * drops the cache too; the fingerprint also catches a model changed any other way, and an ensemble's
 * member retrained since.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { CARD_FILE } from "./card";
import { MANIFEST_FILE, TF_MODEL_FILE, writeFileAtomically } from "./save-load";

const CACHE_FORMAT = "mnist-notebooks-probabilities";
const CACHE_VERSION = 1;

export interface CachedProbabilities {
  probabilities: Float32Array;
  implementation?: string;
}

interface CacheHeader {
  format: typeof CACHE_FORMAT;
  version: number;
  model: string;
  data: string;
  rows: number;
  classes: number;
  sha256: string;
  implementation?: string;
}

/** The cache files of data checksum `data` in `dir`. */
export function probabilityFiles(dir: string, data: string): { header: string; values: string } {
  const stem = path.join(dir, `probabilities-${data.slice(0, 16)}`);
  return { header: `${stem}.json`, values: `${stem}.f32` };
}

/**
 * What the model in `dir` computes, as a hash: its manifest (which holds its parameters and its weights'
 * SHA-256) and card key and date; for an ensemble, also each member's card date as it is now.
 */
export function modelFingerprint(root: string, dir: string): string {
  const hash = createHash("sha256");
  for (const file of [MANIFEST_FILE, TF_MODEL_FILE, CARD_FILE]) {
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) continue;
    const text = fs.readFileSync(full, "utf8");
    if (file === CARD_FILE) {
      const card = JSON.parse(text) as { key?: string; date?: string };
      hash.update(`card:${card.key ?? ""}:${card.date ?? ""}`);
      continue;
    }
    hash.update(`${file}:`).update(text);
    const members = (JSON.parse(text) as { members?: Array<{ name?: unknown }> }).members;
    for (const member of Array.isArray(members) ? members : []) {
      const memberCard = path.join(root, String(member.name), CARD_FILE);
      const date = fs.existsSync(memberCard)
        ? (JSON.parse(fs.readFileSync(memberCard, "utf8")).date ?? "")
        : "";
      hash.update(`member:${String(member.name)}:${date}`);
    }
  }
  return hash.digest("hex");
}

/**
 * The cached probabilities of `model` (a fingerprint) on `data` (a checksum) with `rows` rows, or null
 * when there are none or they were computed from another model. Throws, naming the file, when the
 * cache is damaged (unreadable header, wrong size, checksum mismatch).
 */
export function readProbabilities(
  dir: string,
  model: string,
  data: string,
  rows: number,
  classes: number,
): CachedProbabilities | null {
  const files = probabilityFiles(dir, data);
  if (!fs.existsSync(files.header)) return null;
  let header: CacheHeader;
  try {
    header = JSON.parse(fs.readFileSync(files.header, "utf8")) as CacheHeader;
  } catch (error) {
    throw new Error(`${files.header}: not valid JSON (${(error as Error).message})`);
  }
  if (header?.format !== CACHE_FORMAT || header.version !== CACHE_VERSION)
    throw new Error(`${files.header}: not a probability cache of version ${CACHE_VERSION}`);
  if (header.model !== model || header.data !== data) return null;
  if (header.rows !== rows || header.classes !== classes)
    throw new Error(
      `${files.header}: ${header.rows} × ${header.classes} probabilities, expected ${rows} × ${classes}`,
    );
  if (!fs.existsSync(files.values)) throw new Error(`${files.values}: missing`);
  const bytes = fs.readFileSync(files.values);
  if (bytes.length !== rows * classes * 4)
    throw new Error(`${files.values}: ${bytes.length} bytes, expected ${rows * classes * 4}`);
  if (createHash("sha256").update(bytes).digest("hex") !== header.sha256)
    throw new Error(`${files.values}: SHA-256 does not match ${path.basename(files.header)} (damaged)`);
  const probabilities = new Float32Array(rows * classes);
  new Uint8Array(probabilities.buffer).set(bytes);
  return { probabilities, ...(header.implementation ? { implementation: header.implementation } : {}) };
}

/** Saves probabilities beside the model, values first and header last, each by an atomic rename. */
export function writeProbabilities(
  dir: string,
  model: string,
  data: string,
  classes: number,
  cached: CachedProbabilities,
): void {
  const files = probabilityFiles(dir, data);
  const { probabilities, implementation } = cached;
  const bytes = new Uint8Array(probabilities.buffer, probabilities.byteOffset, probabilities.byteLength);
  const header: CacheHeader = {
    format: CACHE_FORMAT,
    version: CACHE_VERSION,
    model,
    data,
    rows: probabilities.length / classes,
    classes,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    ...(implementation ? { implementation } : {}),
  };
  writeFileAtomically(files.values, bytes);
  writeFileAtomically(files.header, JSON.stringify(header, null, 2) + "\n");
}
