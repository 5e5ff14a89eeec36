/**
 * The model store every notebook shares: `fitOrLoad` trains a model once and loads it on every later
 * call with the same key (name, class, parameters, training data, seed and library version), so a
 * second `npm run report`, or a rerun of one cell, reuses what was trained. A changed key retrains and
 * says which part changed; `retrain: true` or MNIST_RETRAIN=1 forces training.
 *
 * Where: `models/` in the project (ignored by git), or MNIST_MODELS_DIR. Quick mode (MNIST_QUICK=1)
 * without MNIST_MODELS_DIR uses a folder under the system's temporary directory, so tests and quick
 * reports never replace the full-size models a user trained.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { accuracy } from "../metrics/accuracy";
import { argmaxRows, NUM_CLASSES, type Matrix } from "../matrix";
import type { Classifier, FitOptions } from "../models/estimator";
import type { Fitter } from "../models/evaluate";
import { TfClassifier } from "../models/tfjs/tf-classifier";
import type { Params } from "../params";
import { folderFromEnv, projectRoot } from "../paths";
import { isQuickMode } from "../quick";
import { Pipeline } from "../tuning/pipeline";
import {
  cardReadme,
  CARD_FILE,
  checkCard,
  libraryVersion,
  type Implementation,
  type ModelCard,
} from "./card";
import { jsonParams } from "./codecs";
import { dataChecksum, keyDifference, keyHash, keyParams, type KeyParts } from "./fit-key";
import { cacheProbabilities, probabilityDataChecksum, scoreAndCache } from "./score-and-cache";
import { modelFingerprint, readProbabilities, type CachedProbabilities } from "./probability-cache";
import { loadModel, saveModel, writeFileAtomically, writeFolderAtomically } from "./save-load";
import { readJson } from "./weights-file";

export interface StoreEntry<M> {
  model: M;
  card: ModelCard;
  status: "trained" | "loaded";
  /** Seconds the training or the loading took. */
  seconds: number;
  dir: string;
}

export interface ModelStoreOptions {
  /** Default: MNIST_MODELS_DIR, else <project>/models (a temporary folder in quick mode). */
  root?: string;
  /** Train even when a saved model matches (default: MNIST_RETRAIN === "1"). */
  retrain?: boolean;
  /** Print the one-line outcome of each fitOrLoad (default true). */
  verbose?: boolean;
  /** Put before every name, e.g. "03" makes "cnn" the folder "03-cnn" (default none). */
  prefix?: string;
}

export interface FitOrLoadOptions {
  /** Default: the model's own `seed` parameter, else 0. */
  seed?: number;
  /** Options for `fit` (validation data, progress); validation data is part of the key. */
  fit?: FitOptions;
}

/** Store names become folder names: letters, digits, dots, dashes and underscores. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function defaultModelsRoot(env: NodeJS.ProcessEnv = process.env): string {
  // One quick-mode folder per checkout, so two clones on one machine never load each other's models.
  const checkout = createHash("sha256").update(projectRoot()).digest("hex").slice(0, 8);
  const fallback = isQuickMode()
    ? path.join(os.tmpdir(), `mnist-notebooks-quick-models-${checkout}`)
    : path.join(projectRoot(), "models");
  return folderFromEnv("MNIST_MODELS_DIR", fallback, env);
}

/** A readable store name from any label: "CNN reference (scratch)" → "cnn-reference-scratch". */
export function storeName(label: string): string {
  const slug = label
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^[-.]+|-+$/g, "");
  if (!slug) throw new RangeError(`storeName: "${label}" has no letters or digits to name a folder`);
  return slug;
}

export class ModelStore {
  readonly root: string;
  readonly retrain: boolean;
  readonly verbose: boolean;
  readonly prefix: string;

  constructor(options: ModelStoreOptions = {}) {
    this.root = options.root !== undefined ? path.resolve(options.root) : defaultModelsRoot();
    this.retrain = options.retrain ?? process.env.MNIST_RETRAIN === "1";
    this.verbose = options.verbose ?? true;
    this.prefix = options.prefix ? `${options.prefix}-` : "";
    if (this.prefix && !NAME.test(this.prefix))
      throw new RangeError(
        `ModelStore: prefix must be a folder-name start, got ${JSON.stringify(options.prefix)}`,
      );
  }

  /** The folder of `name`, after the prefix (a name that already starts with it, as cards hold, is kept). */
  dir(name: string): string {
    if (typeof name === "string" && !name.startsWith(this.prefix)) name = this.prefix + name;
    if (typeof name !== "string" || !NAME.test(name))
      throw new RangeError(
        `ModelStore: name must be letters, digits, ".", "-" or "_" (a folder name), got ${JSON.stringify(name)}`,
      );
    return path.join(this.root, name);
  }

  has(name: string): boolean {
    return fs.existsSync(path.join(this.dir(name), CARD_FILE));
  }

  /**
   * The model saved under `name` when its key matches this fit's; otherwise `make()` trained on `data`
   * and saved. `make` must return a new, unfitted model (it is also what a load fills in, so parameters
   * JSON cannot hold, such as an augmentation function, stay the caller's).
   */
  async fitOrLoad<M extends Classifier>(
    name: string,
    make: () => M,
    data: { x: Matrix; y: ArrayLike<number> },
    options: FitOrLoadOptions = {},
  ): Promise<StoreEntry<M>> {
    const dir = this.dir(name);
    const model = make();
    const params = model.getParams() as Params;
    const fit = options.fit ?? {};
    const parts: KeyParts = {
      name,
      kind: model.constructor.name,
      params: keyParams(params),
      dataChecksum: dataChecksum(data.x, data.y, fit.validation),
      seed: options.seed ?? (typeof params.seed === "number" ? params.seed : 0),
      libraryVersion: libraryVersion(),
    };
    const key = keyHash(parts);
    let reason = this.retrain
      ? "retraining was asked for (retrain option or MNIST_RETRAIN=1)"
      : "nothing saved yet";
    if (!this.retrain && this.has(name)) {
      const started = performance.now();
      try {
        const card = checkCard(path.join(dir, CARD_FILE), readJson(path.join(dir, CARD_FILE)));
        if (card.key === key) {
          await loadModel(dir, { into: model });
          const seconds = (performance.now() - started) / 1000;
          this.say(`${path.basename(dir)}: loaded from ${this.shown(dir)} in ${seconds.toFixed(1)} s`);
          return { model, card, status: "loaded", seconds, dir };
        }
        reason = keyDifference((card as { keyParts?: KeyParts }).keyParts, parts);
      } catch (error) {
        reason = `the saved model could not be loaded: ${(error as Error).message}`;
      }
    }
    if (reason !== "nothing saved yet") this.say(`${path.basename(dir)}: training, because ${reason}`);
    const started = performance.now();
    const labels = data.y instanceof Uint8Array ? data.y : Uint8Array.from(data.y);
    await model.fit(data.x, labels, fit);
    const seconds = (performance.now() - started) / 1000;
    const card: ModelCard & { keyParts: KeyParts } = {
      name: path.basename(dir),
      kind: model.constructor.name,
      implementation: implementationOf(model),
      params: jsonParams(params),
      seed: parts.seed,
      dataChecksum: parts.dataChecksum,
      libraryVersion: parts.libraryVersion,
      date: new Date().toISOString(),
      trainingSeconds: seconds,
      metrics: validationMetrics(model, fit),
      key,
      keyParts: parts,
      trainingData: { rows: data.x.rows, cols: data.x.cols },
      title: model.name,
    };
    await saveModel(model, dir, card);
    this.say(`${path.basename(dir)}: trained in ${seconds.toFixed(1)} s, saved to ${this.shown(dir)}`);
    return { model, card, status: "trained", seconds, dir };
  }

  /**
   * A `Fitter` (see models/evaluate.ts) that fits or loads through this store, under the name
   * `storeName(label)`: what ModelComparison and the augmentation study take to reuse trained models.
   * Its `predictProba` scores as the dashboard does and keeps the result in the model's folder
   * (./score-and-cache.ts), so probabilitiesOf later loads them instead of running the model again.
   */
  fitThrough(label: string): Fitter {
    const name = storeName(label);
    return async (model, train, fit) => {
      const entry = await this.fitOrLoad(name, () => model, train, { fit });
      return {
        seconds: entry.card.trainingSeconds,
        status: entry.status,
        predictProba: (x: Matrix) => scoreAndCache(entry.dir, entry.model, x),
      };
    };
  }

  /**
   * The accuracy on (x, y) of a model this store gave (`fitOrLoad`), scored as probabilitiesOf scores
   * a stored model and kept in its folder, so the dashboard loads these probabilities later.
   */
  accuracyOf(entry: Pick<StoreEntry<Classifier>, "model" | "dir">, x: Matrix, y: Uint8Array): number {
    if (y.length !== x.rows)
      throw new RangeError(`ModelStore: accuracyOf needs one label per row, got ${y.length} for ${x.rows}`);
    const predictions = argmaxRows(scoreAndCache(entry.dir, entry.model, x), x.rows, NUM_CLASSES);
    return accuracy(y, predictions);
  }

  /** The model saved under `name`, rebuilt from its saved parameters. */
  async load(name: string): Promise<StoreEntry<Classifier>> {
    const dir = this.dir(name);
    const started = performance.now();
    const { model, card } = await loadModel<Classifier>(dir);
    const seconds = (performance.now() - started) / 1000;
    return { model, card, status: "loaded", seconds, dir };
  }

  /**
   * The probabilities of the model saved under `name` on `x`, from the cache in its folder when they
   * were computed from this very model and data (./probability-cache.ts); otherwise the model is loaded,
   * `score`d, disposed and the result cached. A damaged cache is scored again, with a warning naming
   * the file.
   */
  async probabilitiesOf(
    name: string,
    x: Matrix,
    score: (model: Classifier) => Float32Array,
  ): Promise<CachedProbabilities & { status: "scored" | "loaded"; seconds: number }> {
    const dir = this.dir(name);
    const started = performance.now();
    const fingerprint = modelFingerprint(this.root, dir);
    const data = probabilityDataChecksum(x);
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const cached = readProbabilities(dir, fingerprint, data, x.rows, NUM_CLASSES);
      if (cached) return { ...cached, status: "loaded", seconds: seconds() };
    } catch (error) {
      console.warn(`warning: ${(error as Error).message}; scoring the model again`);
    }
    const model = (await this.load(name)).model;
    try {
      const probabilities = score(model);
      cacheProbabilities(dir, model, x, probabilities);
      return { probabilities, implementation: model.implementation, status: "scored", seconds: seconds() };
    } finally {
      (model as { dispose?: () => void }).dispose?.();
    }
  }

  /** Saves a fitted model under `name` with the card fields given (the rest filled in). */
  async save(name: string, model: Classifier, card: Partial<ModelCard> = {}): Promise<ModelCard> {
    const params = model.getParams() as Params;
    const dir = this.dir(name);
    const full: ModelCard = {
      name: path.basename(dir),
      kind: model.constructor.name,
      implementation: implementationOf(model),
      params: jsonParams(params),
      seed: typeof params.seed === "number" ? params.seed : 0,
      dataChecksum: "unknown",
      libraryVersion: libraryVersion(),
      date: new Date().toISOString(),
      trainingSeconds: 0,
      metrics: {},
      title: model.name,
      ...card,
    };
    await saveModel(model, dir, full);
    return full;
  }

  /** The cards of every saved model, by name. Folders without a readable card are skipped. */
  list(): ModelCard[] {
    if (!fs.existsSync(this.root)) return [];
    return fs
      .readdirSync(this.root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && NAME.test(d.name))
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((d) => {
        const file = path.join(this.root, d.name, CARD_FILE);
        try {
          return [checkCard(file, readJson(file))];
        } catch {
          return [];
        }
      });
  }

  /** Merges `metrics` (e.g. testAccuracy) into the card of `name`, and its README, in one atomic swap. */
  recordMetrics(name: string, metrics: Record<string, number>): void {
    const dir = this.dir(name);
    const file = path.join(dir, CARD_FILE);
    const card = checkCard(file, readJson(file));
    const updated = { ...card, metrics: { ...card.metrics, ...metrics } };
    for (const [fileName, content] of [
      [CARD_FILE, JSON.stringify(updated, null, 2) + "\n"],
      ["README.md", cardReadme(updated)],
    ]) {
      writeFileAtomically(path.join(dir, fileName), content);
    }
  }

  private shown(dir: string): string {
    const relative = path.relative(process.cwd(), dir);
    const fromProject = path.relative(projectRoot(), dir);
    if (!fromProject.startsWith("..") && !path.isAbsolute(fromProject)) return fromProject;
    return relative.startsWith("..") ? dir : relative;
  }

  private say(line: string): void {
    if (this.verbose) console.log(line);
  }
}

export { writeFolderAtomically };

function implementationOf(model: Classifier): Implementation {
  const inner = model instanceof Pipeline ? model.classifier : model;
  if (inner instanceof TfClassifier) return "tfjs";
  const network = ["SoftmaxRegression", "MlpClassifier", "CnnClassifier"].includes(inner.constructor.name);
  return network ? "scratch" : "classic";
}

/** Validation accuracy and loss of the last epoch, when the fit had validation data. */
function validationMetrics(model: Classifier, fit: FitOptions): ModelCard["metrics"] {
  if (!fit.validation) return {};
  const last = model.history[model.history.length - 1];
  const validationAccuracy = last?.valAccuracy ?? model.score(fit.validation.x, fit.validation.y);
  return { validationAccuracy, ...(last?.valLoss !== undefined ? { validationLoss: last.valLoss } : {}) };
}
