/**
 * A transformer followed by a classifier, as one classifier (scikit-learn's `Pipeline`), so a search
 * can tune both at once (PCA dimensions and k-NN's k) and the transformer is fitted on each fold's
 * training rows only. Parameters are named "step.parameter", e.g. "pca.nComponents", "knn.k".
 */
import type { Classifier, FitOptions } from "../models/estimator";
import type { Params } from "../params";
import type { Matrix } from "../matrix";
import type { Transformer } from "../preprocessing/transformer";
import type { EpochLog } from "../training/epoch-log";

export interface PipelineSteps {
  /** The step names, used as parameter prefixes. */
  transformerName: string;
  transformer: Transformer;
  classifierName: string;
  classifier: Classifier;
}

export class Pipeline implements Classifier<Params> {
  readonly steps: PipelineSteps;

  constructor(steps: PipelineSteps) {
    const { transformerName, transformer, classifierName, classifier } = steps ?? ({} as PipelineSteps);
    if (!transformer || typeof transformer.fitTransform !== "function")
      throw new TypeError("Pipeline: transformer must be a Transformer");
    if (!classifier || typeof classifier.predictProba !== "function")
      throw new TypeError("Pipeline: classifier must be a Classifier");
    if (
      !transformerName ||
      !classifierName ||
      transformerName === classifierName ||
      /\./.test(transformerName + classifierName)
    ) {
      throw new RangeError(
        `Pipeline: step names must be two different non-empty names without dots, got "${transformerName}", "${classifierName}"`,
      );
    }
    this.steps = steps;
  }

  get name(): string {
    return `${this.steps.transformer.name} → ${this.steps.classifier.name}`;
  }

  get implementation(): "scratch" | "tfjs" {
    return this.steps.classifier.implementation;
  }

  get history(): EpochLog[] {
    return this.steps.classifier.history;
  }

  getParams(): Params {
    const { transformerName, transformer, classifierName, classifier } = this.steps;
    const params: Params = {};
    for (const [k, v] of Object.entries(transformer.getParams())) params[`${transformerName}.${k}`] = v;
    for (const [k, v] of Object.entries(classifier.getParams())) params[`${classifierName}.${k}`] = v;
    return params;
  }

  /** Routes "step.parameter" changes to the steps (each validates its own); both become unfitted. */
  setParams(changes: Partial<Params>): this {
    const { transformerName, classifierName } = this.steps;
    const forStep: Record<string, Params> = { [transformerName]: {}, [classifierName]: {} };
    for (const [key, value] of Object.entries(changes)) {
      const dot = key.indexOf(".");
      const step = key.slice(0, dot);
      if (dot < 0 || !(step in forStep)) {
        throw new RangeError(
          `Pipeline.setParams: unknown parameter "${key}"; known parameters: ${Object.keys(this.getParams()).join(", ")}`,
        );
      }
      forStep[step][key.slice(dot + 1)] = value;
    }
    this.steps.transformer.setParams(forStep[transformerName]);
    this.steps.classifier.setParams(forStep[classifierName]);
    return this;
  }

  clone(): this {
    const { transformer, classifier } = this.steps;
    return new Pipeline({
      ...this.steps,
      transformer: transformer.clone(),
      classifier: classifier.clone(),
    }) as this;
  }

  async fit(x: Matrix, y: Uint8Array, options: FitOptions = {}): Promise<this> {
    const transformed = this.steps.transformer.fitTransform(x);
    const validation = options.validation && {
      x: this.steps.transformer.transform(options.validation.x),
      y: options.validation.y,
    };
    await this.steps.classifier.fit(transformed, y, { ...options, validation });
    return this;
  }

  predictProba(x: Matrix): Float32Array {
    return this.steps.classifier.predictProba(this.steps.transformer.transform(x));
  }

  predict(x: Matrix): Uint8Array {
    return this.steps.classifier.predict(this.steps.transformer.transform(x));
  }

  score(x: Matrix, y: Uint8Array): number {
    return this.steps.classifier.score(this.steps.transformer.transform(x), y);
  }
}
