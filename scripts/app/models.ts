/**
 * The app's models: every model in the model store (lib/store), loaded once and kept, plus the ones
 * fine-tuned while the app runs (saved into the store too). When the store is empty, a `speed` preset
 * CNN is trained once on MNIST and saved, so a fresh clone has a model to draw against.
 */
import type { Classifier } from "../../lib/models/estimator";
import { CnnClassifier } from "../../lib/models/scratch/cnn-classifier";
import { loadMnist } from "../../lib/data/mnist";
import { toMatrix, trainValidationSplit } from "../../lib/data/dataset";
import * as path from "path";
import { folderFromEnv, projectRoot } from "../../lib/paths";
import { ModelStore, type ModelCard } from "../../lib/store";

export const DEFAULT_MODEL_NAME = "app-speed-cnn";

export interface ModelSummary {
  name: string;
  title: string;
  kind: string;
  implementation: string;
  validationAccuracy: number | null;
  testAccuracy: number | null;
  /** Whether the drawing canvas can run it in the browser and the app can fine-tune it. */
  scratchCnn: boolean;
}

export class AppModels {
  readonly store: ModelStore;
  /** The store's folder: options.root, else MNIST_MODELS_DIR, else <project>/models. */
  readonly root: string;
  private readonly loaded = new Map<string, Promise<Classifier>>();

  constructor(options: { root?: string } = {}) {
    this.root = path.resolve(
      options.root ?? folderFromEnv("MNIST_MODELS_DIR", path.join(projectRoot(), "models")),
    );
    this.store = new ModelStore({ root: this.root, verbose: false });
  }

  list(): ModelSummary[] {
    return this.store.list().map(summarise);
  }

  /** Trains and saves the default model when the store has none; `log` hears what happens. */
  async ensureOne(log: (line: string) => void, trainLimit?: number): Promise<void> {
    if (this.list().length > 0) return;
    log(`no saved models in ${this.root}: training a speed-preset CNN once (about a minute)…`);
    const data = loadMnist({ trainLimit });
    const validationSize = Math.min(5000, Math.floor(data.train.count / 10));
    const { train } = trainValidationSplit(data.train, { validationSize, seed: 0 });
    const make = () => new CnnClassifier({ preset: "speed", seed: 0 });
    const entry = await this.store.fitOrLoad(DEFAULT_MODEL_NAME, make, {
      x: toMatrix(train),
      y: train.labels,
    });
    log(`${DEFAULT_MODEL_NAME}: trained in ${entry.seconds.toFixed(1)} s and saved to ${entry.dir}`);
  }

  /** The first scratch CNN, else the first model. */
  defaultName(): string | null {
    const models = this.list();
    return (models.find((m) => m.scratchCnn) ?? models[0])?.name ?? null;
  }

  has(name: string): boolean {
    return this.list().some((m) => m.name === name);
  }

  /** The model saved under `name`, loaded on first use. */
  get(name: string): Promise<Classifier> {
    if (!this.has(name)) return Promise.reject(new UnknownModelError(name, this.list()));
    const cached = this.loaded.get(name);
    if (cached) return cached;
    const model = this.store.load(name).then((entry) => entry.model);
    model.catch(() => this.loaded.delete(name));
    this.loaded.set(name, model);
    return model;
  }

  /** Saves a model made in the app (a fine-tuned copy) into the store under `name`. */
  async add(name: string, model: Classifier, card: Partial<ModelCard> & { seed?: number }): Promise<void> {
    await this.store.save(name, model, card);
    this.loaded.set(name, Promise.resolve(model));
  }
}

export class UnknownModelError extends Error {
  constructor(name: string, models: ModelSummary[]) {
    super(
      `no model named "${name}"; the saved models are: ${models.map((m) => m.name).join(", ") || "none"}`,
    );
    this.name = "UnknownModelError";
  }
}

function summarise(card: ModelCard): ModelSummary {
  const accuracy = (value: unknown) => (typeof value === "number" ? value : null);
  return {
    name: card.name,
    title: card.title ?? card.name,
    kind: card.kind,
    implementation: card.implementation,
    validationAccuracy: accuracy(card.metrics.validationAccuracy),
    testAccuracy: accuracy(card.metrics.testAccuracy),
    scratchCnn: card.kind === "CnnClassifier",
  };
}
