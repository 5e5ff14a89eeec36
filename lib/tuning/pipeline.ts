/**
 * Preprocessing steps followed by a classifier, as one classifier (scikit-learn's `Pipeline`), e.g.
 * deskew → standardise → PCA → k-NN. A search can tune every step at once (PCA dimensions and k-NN's k),
 * and each transformer is fitted on each fold's training rows only. Parameters are named
 * "step.parameter", e.g. "pca.nComponents", "knn.k".
 *
 * Two ways to build one:
 *   new Pipeline({ steps: [["deskew", new Deskew()], ["pca", new PCA({ nComponents: 50 })]],
 *                  model: ["knn", new KNeighborsClassifier()] })
 *   new Pipeline({ transformerName: "pca", transformer, classifierName: "knn", classifier })  // one step
 */
import type { Classifier, FitOptions } from "../models/estimator";
import type { Params } from "../params";
import type { Matrix } from "../matrix";
import type { Transformer } from "../preprocessing/transformer";
import type { EpochLog } from "../training/epoch-log";

/** The one-transformer form (kept for existing callers). */
export interface PipelineSteps {
  /** The step names, used as parameter prefixes. */
  transformerName: string;
  transformer: Transformer;
  classifierName: string;
  classifier: Classifier;
}

/** Any number of named transformers (applied in order, possibly none), then a named classifier. */
export interface PipelineSpec {
  steps: [string, Transformer][];
  model: [string, Classifier];
}

export class Pipeline implements Classifier<Params> {
  /** The transformers in order, by name. */
  readonly transformers: readonly [string, Transformer][];
  readonly classifierName: string;
  readonly classifier: Classifier;

  constructor(spec: PipelineSteps | PipelineSpec) {
    const normalised = normalise(spec);
    const names = [...normalised.steps.map(([name]) => name), normalised.model[0]];
    normalised.steps.forEach(([name, transformer]) => {
      if (!transformer || typeof transformer.fitTransform !== "function")
        throw new TypeError(`Pipeline: step "${name}" must be a Transformer`);
    });
    if (!normalised.model[1] || typeof normalised.model[1].predictProba !== "function")
      throw new TypeError(`Pipeline: the model "${normalised.model[0]}" must be a Classifier`);
    if (names.some((n) => typeof n !== "string" || !n || /\./.test(n)) || new Set(names).size < names.length) {
      const given = names.map((n) => `"${n}"`).join(", ");
      throw new RangeError(`Pipeline: step names must be different non-empty names without dots, got ${given}`);
    }
    this.transformers = normalised.steps;
    [this.classifierName, this.classifier] = normalised.model;
  }

  /** The one-transformer view, for callers of the original two-step form (the first transformer). */
  get steps(): PipelineSteps {
    const [transformerName, transformer] = this.transformers[0] ?? ["", undefined];
    return { transformerName, transformer: transformer!, classifierName: this.classifierName, classifier: this.classifier };
  }

  get name(): string {
    return [...this.transformers.map(([, t]) => t.name), this.classifier.name].join(" → ");
  }

  get implementation(): "scratch" | "tfjs" {
    return this.classifier.implementation;
  }

  get history(): EpochLog[] {
    return this.classifier.history;
  }

  getParams(): Params {
    const params: Params = {};
    const all: [string, { getParams(): object }][] = [...this.transformers, [this.classifierName, this.classifier]];
    for (const [step, estimator] of all)
      for (const [k, v] of Object.entries(estimator.getParams())) params[`${step}.${k}`] = v;
    return params;
  }

  /** Routes "step.parameter" changes to the steps (each validates its own); all become unfitted. */
  setParams(changes: Partial<Params>): this {
    const forStep = new Map<string, Params>();
    for (const [name] of this.transformers) forStep.set(name, {});
    forStep.set(this.classifierName, {});
    for (const [key, value] of Object.entries(changes)) {
      const dot = key.indexOf(".");
      const step = key.slice(0, dot);
      if (dot < 0 || !forStep.has(step)) {
        throw new RangeError(
          `Pipeline.setParams: unknown parameter "${key}"; known parameters: ${Object.keys(this.getParams()).join(", ")}`,
        );
      }
      forStep.get(step)![key.slice(dot + 1)] = value;
    }
    for (const [name, transformer] of this.transformers) transformer.setParams(forStep.get(name)!);
    this.classifier.setParams(forStep.get(this.classifierName)!);
    return this;
  }

  clone(): this {
    return new Pipeline({
      steps: this.transformers.map(([name, t]) => [name, t.clone()]),
      model: [this.classifierName, this.classifier.clone()],
    }) as this;
  }

  async fit(x: Matrix, y: Uint8Array, options: FitOptions = {}): Promise<this> {
    let transformed = x;
    for (const [, transformer] of this.transformers) transformed = transformer.fitTransform(transformed);
    const validation = options.validation && {
      x: this.transform(options.validation.x),
      y: options.validation.y,
    };
    await this.classifier.fit(transformed, y, { ...options, validation });
    return this;
  }

  /** x through every fitted transformer: what the classifier sees. */
  transform(x: Matrix): Matrix {
    let out = x;
    for (const [, transformer] of this.transformers) out = transformer.transform(out);
    return out;
  }

  predictProba(x: Matrix): Float32Array {
    return this.classifier.predictProba(this.transform(x));
  }

  predict(x: Matrix): Uint8Array {
    return this.classifier.predict(this.transform(x));
  }

  score(x: Matrix, y: Uint8Array): number {
    return this.classifier.score(this.transform(x), y);
  }
}

function normalise(spec: PipelineSteps | PipelineSpec): PipelineSpec {
  if (spec && "steps" in spec && Array.isArray(spec.steps)) {
    if (!Array.isArray(spec.model) || spec.model.length !== 2)
      throw new TypeError("Pipeline: model must be a [name, classifier] pair");
    return { steps: spec.steps.map(([name, t]) => [name, t]), model: [spec.model[0], spec.model[1]] };
  }
  const { transformerName, transformer, classifierName, classifier } = (spec ?? {}) as PipelineSteps;
  if (!transformer || typeof transformer.fitTransform !== "function")
    throw new TypeError("Pipeline: transformer must be a Transformer");
  if (!classifier || typeof classifier.predictProba !== "function")
    throw new TypeError("Pipeline: classifier must be a Classifier");
  return { steps: [[transformerName, transformer]], model: [classifierName, classifier] };
}
