/**
 * A model described as data, so a worker thread can build the same unfitted model: its class name and
 * parameters (a Pipeline: its two steps). The engine's kernels do not cross threads; a model that takes
 * `kernels` gets the worker's own single-threaded ones, so N workers keep N cores busy, no more.
 */
import { getKernels } from "../kernels";
import type { Classifier } from "../models/estimator";
import { CnnClassifier } from "../models/scratch/cnn-classifier";
import { MlpClassifier } from "../models/scratch/mlp-classifier";
import { SoftmaxRegression } from "../models/scratch/softmax-regression";
import { KNeighborsClassifier } from "../models/neighbors/knn";
import { LinearSvmClassifier } from "../models/svm/linear-svm";
import { RbfSvmClassifier } from "../models/svm/rbf-svm";
import type { Params } from "../params";
import { PCA } from "../preprocessing/pca";
import { StandardScaler } from "../preprocessing/standard-scaler";
import type { Transformer } from "../preprocessing/transformer";
import { Pipeline } from "./pipeline";

/** The classes a worker can build (models on our engine; TensorFlow.js models keep their own threads). */
const WORKER_CLASSES: Record<string, new (options: Params) => Classifier | Transformer> = {
  SoftmaxRegression,
  MlpClassifier,
  CnnClassifier,
  KNeighborsClassifier,
  LinearSvmClassifier,
  RbfSvmClassifier,
  PCA,
  StandardScaler,
} as never;

export type EstimatorSpec =
  | { className: string; params: Params; takesKernels: boolean }
  | {
      transformerName: string;
      transformer: EstimatorSpec;
      classifierName: string;
      classifier: EstimatorSpec;
    };

/** Describes `estimator` for a worker; a clear error for a model or parameter that cannot go there. */
export function describeEstimator(who: string, estimator: Classifier | Transformer): EstimatorSpec {
  if (estimator instanceof Pipeline) {
    const { transformerName, transformer, classifierName, classifier } = estimator.steps;
    return {
      transformerName,
      transformer: describeEstimator(who, transformer),
      classifierName,
      classifier: describeEstimator(who, classifier),
    };
  }
  const className = estimator.constructor.name;
  if (WORKER_CLASSES[className] !== estimator.constructor) {
    throw new TypeError(
      `${who}: parallel trials cannot run ${className} in a worker thread; ` +
        `they can run ${Object.keys(WORKER_CLASSES).join(", ")} and pipelines of them`,
    );
  }
  const params: Params = {};
  let takesKernels = false;
  for (const [name, value] of Object.entries(estimator.getParams())) {
    if (name === "kernels") {
      takesKernels = true;
      continue;
    }
    if (!isPlainValue(value)) {
      throw new TypeError(
        `${who}: parallel trials send parameters to worker threads as data, but ${className}.${name} ` +
          `is a ${typeof value}; give it by name or run the search without parallel`,
      );
    }
    if (value !== undefined) params[name] = value;
  }
  return { className, params, takesKernels };
}

/** Builds the unfitted model `spec` describes, on single-threaded kernels. */
export function buildEstimator(spec: EstimatorSpec): Classifier {
  return build(spec) as Classifier;
}

function build(spec: EstimatorSpec): Classifier | Transformer {
  if ("transformerName" in spec) {
    return new Pipeline({
      transformerName: spec.transformerName,
      transformer: build(spec.transformer) as Transformer,
      classifierName: spec.classifierName,
      classifier: build(spec.classifier) as Classifier,
    });
  }
  const Ctor = WORKER_CLASSES[spec.className];
  return new Ctor(spec.takesKernels ? { ...spec.params, kernels: getKernels({ threads: 1 }) } : spec.params);
}

function isPlainValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (["number", "string", "boolean"].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isPlainValue);
  return false;
}
