/**
 * Saving a model to a folder and loading it back, for every kind the store knows:
 *   scratch networks, classic models, transformers and pipelines: `manifest.json` + `weights.bin`;
 *   TensorFlow.js models: the standard `model.json` + `weights.bin` (loadable by `tf.loadLayersModel`
 *   in a browser), with our class, parameters and checksums in its `userDefinedMetadata`;
 * and in both cases `card.json` and `README.md` (./card.ts).
 *
 * Writes are atomic: everything goes to a temporary sibling folder that is renamed into place when
 * complete, so a process killed mid-save leaves the previous model (or none), never half of one, and two
 * processes saving the same name each put a whole model in place (the last one wins).
 */
import * as fs from "fs";
import * as path from "path";
import type * as tfTypes from "@tensorflow/tfjs";
import type { Classifier } from "../models/estimator";
import { TfClassifier } from "../models/tfjs/tf-classifier";
import { getTf } from "../backend";
import { cardReadme, checkCard, CARD_FILE, libraryVersion, type ModelCard } from "./card";
import {
  decodeModel,
  encodeModel,
  restoreTf,
  SAVABLE_CLASSES,
  type EncodedModel,
  type Estimator,
} from "./codecs";
import { packArrays, readBytes, readJson, sha256Hex, unpackArrays, type NamedArray } from "./weights-file";

export const MANIFEST_FILE = "manifest.json";
export const TF_MODEL_FILE = "model.json";
export const WEIGHTS_FILE = "weights.bin";
export const MANIFEST_FORMAT = "mnist-notebooks/model";
export const MANIFEST_VERSION = 1;

/** Writes `model` (fitted) and its card to `dir`, replacing what was there in one rename. */
export async function saveModel(model: Estimator, dir: string, card: ModelCard): Promise<void> {
  const files = await modelFiles(model);
  files.set(CARD_FILE, JSON.stringify(card, null, 2) + "\n");
  files.set("README.md", cardReadme(card));
  writeFolderAtomically(dir, files);
}

/** Every file of a saved model but the card, by name. */
async function modelFiles(model: Estimator): Promise<Map<string, string | Uint8Array>> {
  const arrays: NamedArray[] = [];
  const encoded = await encodeModel(model, "", arrays);
  const files = new Map<string, string | Uint8Array>();
  if (model instanceof TfClassifier) {
    // tfjs reads weights back to back in weightSpecs order: 4-byte values, no gaps.
    const { data, entries } = packArrays(arrays, 4);
    const { modelTopology, weightSpecs, ...state } = encoded.state;
    const modelJson = {
      format: "layers-model",
      generatedBy: `TensorFlow.js tfjs-layers v${getTf().version.tfjs}`,
      convertedBy: null,
      modelTopology,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: weightSpecs }],
      userDefinedMetadata: {
        mnistNotebooks: {
          format: MANIFEST_FORMAT,
          version: MANIFEST_VERSION,
          model: { ...encoded, state },
          weights: { file: WEIGHTS_FILE, bytes: data.length, sha256: sha256Hex(data) },
          arrays: entries,
        },
      },
    };
    files.set(TF_MODEL_FILE, JSON.stringify(modelJson));
    files.set(WEIGHTS_FILE, data);
  } else {
    const { data, entries } = packArrays(arrays);
    const manifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      model: encoded,
      weights: { file: WEIGHTS_FILE, bytes: data.length, sha256: sha256Hex(data) },
      arrays: entries,
    };
    files.set(MANIFEST_FILE, JSON.stringify(manifest, null, 1) + "\n");
    files.set(WEIGHTS_FILE, data);
  }
  return files;
}

/**
 * Loads a model saved by `saveModel`. Every file is checked first (card fields, format and version,
 * the weights file's size and SHA-256, each array's checksum, finite values); any problem is an error
 * naming the file. `into`: an unfitted model of the saved class that receives the state (see codecs.ts).
 */
export async function loadModel<M extends Estimator = Classifier>(
  dir: string,
  options: { into?: M } = {},
): Promise<{ model: M; card: ModelCard }> {
  if (!fs.existsSync(dir)) throw new Error(`${dir}: no saved model there (the folder is missing)`);
  const card = checkCard(path.join(dir, CARD_FILE), readJson(path.join(dir, CARD_FILE)));
  const tfFile = path.join(dir, TF_MODEL_FILE);
  const manifestFile = path.join(dir, MANIFEST_FILE);
  const isTf = fs.existsSync(tfFile);
  if (!isTf && !fs.existsSync(manifestFile))
    throw new Error(`${manifestFile}: missing (and no ${TF_MODEL_FILE} either): not a saved model`);
  const file = isTf ? tfFile : manifestFile;
  const json = readJson(file) as Record<string, unknown>;
  const manifest = (isTf ? (json.userDefinedMetadata as Record<string, unknown>)?.mnistNotebooks : json) as
    Record<string, unknown> | undefined;
  if (!manifest || manifest.format !== MANIFEST_FORMAT)
    throw new Error(`${file}: not a model saved by mnist-notebooks (format "${MANIFEST_FORMAT}" expected)`);
  if (manifest.version !== MANIFEST_VERSION) {
    const got = JSON.stringify(manifest.version);
    throw new Error(
      `${file}: format version ${got}, this library reads version ${MANIFEST_VERSION}; save it again`,
    );
  }
  const weightsFile = path.join(dir, WEIGHTS_FILE);
  const data = readBytes(weightsFile);
  const expected = manifest.weights as { bytes: number; sha256: string };
  if (data.length !== expected?.bytes)
    throw new Error(
      `${weightsFile}: ${data.length} bytes, the manifest says ${expected?.bytes} (cut short or changed)`,
    );
  const arrays = unpackArrays(weightsFile, data, manifest.arrays);
  if (sha256Hex(data) !== expected.sha256)
    throw new Error(`${weightsFile}: SHA-256 differs from the manifest's (the file was changed)`);
  const encoded = manifest.model as EncodedModel;
  try {
    if (isTf) return { model: (await loadTf(json, encoded, data, file, options.into)) as unknown as M, card };
    const model = await decodeModel(encoded, arrays, "", file, options.into);
    return { model: model as M, card };
  } catch (err) {
    // A preset's layers may change between versions (the store keys fits by version for that reason),
    // so weights saved by another version may not fit: say so, and how to get a model that does.
    if (card.libraryVersion === libraryVersion()) throw err;
    throw new Error(
      `${(err as Error).message} (saved by mnist-notebooks ${card.libraryVersion}; this is ` +
        `${libraryVersion()}, whose layers may differ: train the model again)`,
    );
  }
}

/** The standard tfjs path: the same topology and weight bytes `tf.loadLayersModel` reads in a browser. */
async function loadTf(
  json: Record<string, unknown>,
  encoded: EncodedModel,
  data: Uint8Array,
  file: string,
  into?: Estimator,
) {
  const tf = getTf();
  const manifest = json.weightsManifest as { paths: string[]; weights: tfTypes.io.WeightsManifestEntry[] }[];
  if (!Array.isArray(manifest) || manifest.length !== 1 || !json.modelTopology)
    throw new Error(`${file}: modelTopology or a single weightsManifest group is missing`);
  const handler: tfTypes.io.IOHandler = {
    load: async () => ({
      modelTopology: json.modelTopology as object,
      weightSpecs: manifest[0].weights,
      weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
    }),
  };
  let network: tfTypes.LayersModel;
  try {
    network = await tf.loadLayersModel(handler);
  } catch (error) {
    throw new Error(`${file}: TensorFlow.js could not load it (${(error as Error).message})`);
  }
  const Ctor = SAVABLE_CLASSES[encoded.class];
  if (!Ctor) throw new Error(`${file}: unknown model class ${JSON.stringify(encoded.class)}`);
  if (into && into.constructor.name !== encoded.class)
    throw new Error(
      `${file}: holds a ${encoded.class}, but the model to load into is a ${into.constructor.name}`,
    );
  const model = (into ?? new Ctor(encoded.params ?? {})) as TfClassifier;
  restoreTf(model, network, (encoded.state as { nFeatures: number }).nFeatures);
  if (Array.isArray(encoded.history)) model.history = encoded.history;
  return model;
}

/**
 * Writes one file by a rename from a hidden temporary beside it, so a reader sees the old file or the new
 * one, never half of either (a card's metrics, a probability cache).
 */
export function writeFileAtomically(file: string, content: string | Uint8Array): void {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`,
  );
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}

/**
 * Writes `files` into a fresh temporary sibling of `dir`, then swaps it into place: `dir` only ever holds
 * a complete set. An existing `dir` is moved aside first and removed after; if another process puts its
 * folder in place between the two renames, that one is moved aside and the swap retried.
 */
export function writeFolderAtomically(dir: string, files: Map<string, string | Uint8Array>): void {
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  const unique = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const temp = path.join(parent, `.${path.basename(dir)}.tmp-${unique}`);
  removeAbandoned(parent, path.basename(dir));
  fs.mkdirSync(temp);
  try {
    for (const [name, content] of files) {
      const fd = fs.openSync(path.join(temp, name), "w");
      try {
        fs.writeSync(fd, typeof content === "string" ? Buffer.from(content, "utf8") : content);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    for (let attempt = 0; ; attempt++) {
      const old = path.join(parent, `.${path.basename(dir)}.old-${unique}-${attempt}`);
      let movedAside = false;
      try {
        fs.renameSync(dir, old);
        movedAside = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
      try {
        fs.renameSync(temp, dir);
        if (movedAside) fs.rmSync(old, { recursive: true, force: true });
        return;
      } catch (error) {
        if (movedAside) fs.rmSync(old, { recursive: true, force: true });
        const code = (error as NodeJS.ErrnoException).code;
        if ((code !== "ENOTEMPTY" && code !== "EEXIST") || attempt >= 20) throw error;
      }
    }
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Temporary and set-aside folders of `name` left by processes that died mid-save (their pid is gone). */
function removeAbandoned(parent: string, name: string): void {
  const pattern = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(tmp|old)-(\\d+)-`);
  for (const entry of fs.readdirSync(parent)) {
    const match = pattern.exec(entry);
    if (!match || isAlive(Number(match[2]))) continue;
    fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
