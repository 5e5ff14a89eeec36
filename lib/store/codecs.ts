/**
 * Every model kind as data: `encodeModel` turns a fitted classifier, transformer or pipeline into JSON
 * (class, parameters, fitted scalars, history) plus named arrays, and `decodeModel` rebuilds it. One
 * codec per kind, chosen by class; a pipeline encodes each step under its name ("pca/mean").
 *
 * Decoding restores the exact fitted state, so predictions after a load are the same bits as before the
 * save. Where a model's state is a deterministic function of smaller data (k-NN's search structures of
 * its training rows, the random Fourier map of its seed), the smaller data is saved and the rest rebuilt.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { getTf } from "../backend";
import { matrix, type Matrix } from "../matrix";
import type { Classifier } from "../models/estimator";
import { KNeighborsClassifier } from "../models/neighbors/knn";
import { CnnClassifier } from "../models/scratch/cnn-classifier";
import { MlpClassifier } from "../models/scratch/mlp-classifier";
import { ScratchNetworkClassifier } from "../models/scratch/network-classifier";
import { SoftmaxRegression } from "../models/scratch/softmax-regression";
import { LinearSvmClassifier } from "../models/svm/linear-svm";
import { RandomFourierFeatures } from "../models/svm/random-fourier";
import { RbfSvmClassifier } from "../models/svm/rbf-svm";
import { TfCnnClassifier } from "../models/tfjs/cnn";
import { TfMlpClassifier } from "../models/tfjs/mlp";
import { TfSoftmaxRegression } from "../models/tfjs/softmax-regression";
import { TfClassifier } from "../models/tfjs/tf-classifier";
import type { Params } from "../params";
import { Deskew } from "../preprocessing/deskew-transformer";
import { PCA } from "../preprocessing/pca";
import { MinMaxScaler, PixelScaler } from "../preprocessing/scalers";
import { StandardScaler } from "../preprocessing/standard-scaler";
import type { Transformer } from "../preprocessing/transformer";
import type { EpochLog } from "../training/epoch-log";
import { Pipeline } from "../tuning/pipeline";
import type { NamedArray, StoredArray } from "./weights-file";

export type Estimator = Classifier | Transformer;

/** A model as JSON; its arrays are listed separately (see weights-file.ts), named with `prefix`. */
export interface EncodedModel {
  class: string;
  /** The parameters that can be written as JSON (functions and compute kernels are left out). */
  params: Params;
  /** Fitted scalars and the names of the model's arrays. */
  state: Record<string, unknown>;
  history?: EpochLog[];
  /** A pipeline's steps, in order, the classifier last. */
  steps?: { name: string; model: EncodedModel }[];
}

type Constructor = new (options: object) => Estimator;

/** Every class the store can save, by constructor name. */
export const SAVABLE_CLASSES: Record<string, Constructor> = {
  SoftmaxRegression,
  MlpClassifier,
  CnnClassifier,
  TfSoftmaxRegression,
  TfMlpClassifier,
  TfCnnClassifier,
  KNeighborsClassifier,
  LinearSvmClassifier,
  RbfSvmClassifier,
  StandardScaler,
  PCA,
  PixelScaler,
  MinMaxScaler,
  Deskew,
} as unknown as Record<string, Constructor>;

/** Parameters that are run-time resources, not part of what a model is. */
const RUNTIME_PARAMS = new Set(["kernels", "verbose"]);

/** The JSON-writable parameters: functions, class instances and run-time resources are left out. */
export function jsonParams(params: Params): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(params)) {
    if (RUNTIME_PARAMS.has(key) || value === undefined || typeof value === "function") continue;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      if (Object.getPrototypeOf(value) !== Object.prototype) continue;
    }
    out[key] = value;
  }
  return out;
}

/** Where a model's protected state is read and written: the store is its one outside reader. */
type Open = Record<string, unknown>;
const open = (model: object) => model as unknown as Open;

export async function encodeModel(
  model: Estimator,
  prefix: string,
  arrays: NamedArray[],
): Promise<EncodedModel> {
  const className = model.constructor.name;
  const add = (name: string, value: StoredArray, shape?: number[]) => {
    arrays.push({ name: prefix + name, value, shape });
    return name;
  };
  const base = { class: className, params: jsonParams(model.getParams() as Params) };
  const history = "history" in model && model.history.length > 0 ? { history: model.history } : {};

  if (model instanceof Pipeline) {
    const all: [string, Estimator][] = [...model.transformers, [model.classifierName, model.classifier]];
    const steps = [];
    for (const [name, step] of all)
      steps.push({ name, model: await encodeModel(step, `${prefix}${name}/`, arrays) });
    return { class: "Pipeline", params: {}, state: {}, steps };
  }
  if (!(className in SAVABLE_CLASSES)) {
    const known = Object.keys(SAVABLE_CLASSES).join(", ");
    throw new TypeError(`store: cannot save a ${className}; savable kinds: Pipeline, ${known}`);
  }
  const isFitted = (model as { isFitted?: boolean }).isFitted;
  if (isFitted === false) throw new Error(`store: ${model.name} is not fitted; fit it before saving`);

  if (model instanceof ScratchNetworkClassifier) {
    const { architecture, inputFeatures, arrays: weights } = model.weightArrays();
    const names = weights.map(({ name, value }) => add(name, value));
    return { ...base, state: { architecture, inputFeatures, arrays: names }, ...history };
  }
  if (model instanceof TfClassifier) return { ...base, state: await encodeTf(model, add), ...history };
  if (model instanceof KNeighborsClassifier) {
    const exact = open(open(model).exact as object);
    const state = { rows: exact.rows, cols: exact.cols };
    add("offsets", exact.offsets as Int32Array);
    add("columns", exact.columns as Uint16Array | Int32Array);
    add("values", exact.values as Float32Array);
    add("labels", open(model).trainLabels as Uint8Array);
    return { ...base, state };
  }
  if (model instanceof LinearSvmClassifier) {
    const features = open(model).nFeatures as number;
    add("weights", model.weights!, [features, model.numClasses]);
    add("biases", model.biases!);
    return { ...base, state: { nFeatures: features }, ...history };
  }
  if (model instanceof RbfSvmClassifier) {
    const features = open(model).features as RandomFourierFeatures;
    const linear = open(model).linear as LinearSvmClassifier;
    const state = {
      nFeatures: open(model).nFeatures,
      fittedGamma: model.fittedGamma,
      featureSeed: features.seed,
      featureInputs: open(features).nFeatures,
      linear: await encodeModel(linear, `${prefix}linear/`, arrays),
    };
    return { ...base, params: jsonParams(model.getParams() as Params), state, ...history };
  }
  return { ...base, state: encodeTransformer(model as Transformer, add) };
}

function encodeTransformer(
  model: Transformer,
  add: (name: string, value: StoredArray, shape?: number[]) => string,
) {
  const nFeatures = open(model).nFeatures as number;
  if (model instanceof StandardScaler) {
    add("mean", model.mean);
    add("std", model.std);
    add("scale", model.scale);
  } else if (model instanceof PCA) {
    add("mean", model.mean);
    add("components", model.components.data, [model.components.rows, model.components.cols]);
    add("explainedVariance", model.explainedVariance);
    add("explainedVarianceRatio", model.explainedVarianceRatio);
    return { nFeatures, nComponents: model.nComponents, totalVariance: model.totalVariance };
  } else if (model instanceof MinMaxScaler) {
    add("dataMin", model.dataMin);
    add("dataMax", model.dataMax);
  }
  return { nFeatures };
}

/** Topology and weights of a TensorFlow.js classifier, through tfjs's own save path (no file system). */
async function encodeTf(
  model: TfClassifier,
  add: (name: string, value: StoredArray, shape?: number[]) => string,
) {
  const tf = getTf();
  const network = open(model).model as tfTypes.LayersModel;
  let artifacts: tfTypes.io.ModelArtifacts | null = null;
  await network.save(
    tf.io.withSaveHandler(async (given) => {
      artifacts = given;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  const { modelTopology, weightSpecs, weightData } = artifacts! as tfTypes.io.ModelArtifacts;
  const buffer = toArrayBuffer(weightData!);
  let offset = 0;
  for (const spec of weightSpecs!) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== "float32" && spec.dtype !== "int32")
      throw new TypeError(
        `store: ${model.name} has a ${spec.dtype} weight ${spec.name}; only float32/int32 are saved`,
      );
    const values =
      spec.dtype === "int32"
        ? new Int32Array(buffer, offset, count)
        : new Float32Array(buffer, offset, count);
    add(spec.name, values.slice(), spec.shape);
    offset += 4 * count;
  }
  return { nFeatures: open(model).nFeatures, modelTopology, weightSpecs };
}

function toArrayBuffer(data: tfTypes.io.WeightData): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  const parts = data as ArrayBuffer[];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(new Uint8Array(part), at);
    at += part.byteLength;
  }
  return out.buffer;
}

/**
 * Rebuilds a model from its encoding and arrays. `into`, when given, is an unfitted model of the same
 * class (e.g. from the caller's factory) that receives the state, keeping parameters that JSON cannot
 * hold (an augmentation function); otherwise a new one is made from the saved parameters.
 */
export async function decodeModel(
  encoded: EncodedModel,
  arrays: Map<string, StoredArray>,
  prefix: string,
  where: string,
  into?: Estimator,
): Promise<Estimator> {
  if (encoded === null || typeof encoded !== "object" || typeof encoded.class !== "string")
    throw new Error(`${where}: no model description (a "class" field) found`);
  const get = (name: string): StoredArray => {
    const value = arrays.get(prefix + name);
    if (!value) throw new Error(`${where}: array ${prefix + name} is missing from the weights`);
    return value;
  };
  if (into && into.constructor.name !== encoded.class)
    throw new Error(
      `${where}: holds a ${encoded.class}, but the model to load into is a ${into.constructor.name}`,
    );

  if (encoded.class === "Pipeline") {
    if (!Array.isArray(encoded.steps) || encoded.steps.length === 0)
      throw new Error(`${where}: a Pipeline needs its steps`);
    const given = into as Pipeline | undefined;
    const targets: (Estimator | undefined)[] = given
      ? [...given.transformers.map(([, t]) => t), given.classifier]
      : [];
    if (given && targets.length !== encoded.steps.length)
      throw new Error(
        `${where}: the saved pipeline has ${encoded.steps.length} steps, the given one ${targets.length}`,
      );
    const decoded: Estimator[] = [];
    for (const [i, step] of encoded.steps.entries())
      decoded.push(await decodeModel(step.model, arrays, `${prefix}${step.name}/`, where, targets[i]));
    if (given) return given;
    const names = encoded.steps.map((s) => s.name);
    return new Pipeline({
      steps: decoded.slice(0, -1).map((t, i) => [names[i], t as Transformer]),
      model: [names[names.length - 1], decoded[decoded.length - 1] as Classifier],
    });
  }
  const Ctor = SAVABLE_CLASSES[encoded.class];
  if (!Ctor) throw new Error(`${where}: unknown model class ${JSON.stringify(encoded.class)}`);
  const model = into ?? new Ctor(encoded.params ?? {});
  const state = (encoded.state ?? {}) as Open;
  const restoreHistory = () => {
    if (Array.isArray(encoded.history))
      (model as Classifier & { history: EpochLog[] }).history = encoded.history;
  };

  if (model instanceof ScratchNetworkClassifier) {
    const names = state.arrays as string[];
    if (!Array.isArray(names)) throw new Error(`${where}: the network's array list is missing`);
    // The weights file's arrays are already checked against their checksums (unpackArrays): they go
    // into the network as they are, not through saveWeights' base64 form.
    const arrays = new Map(names.map((name) => [name, get(name) as Float32Array]));
    try {
      model.loadWeightArrays(state.architecture, state.inputFeatures as number, arrays);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
  } else if (model instanceof TfClassifier) {
    await decodeTf(model, state, get, where);
  } else if (model instanceof KNeighborsClassifier) {
    const rows = state.rows as number;
    const cols = state.cols as number;
    const offsets = get("offsets") as Int32Array;
    const columns = get("columns");
    const values = get("values");
    const labels = get("labels") as Uint8Array;
    if (offsets.length !== rows + 1 || labels.length !== rows || offsets[rows] !== values.length)
      throw new Error(`${where}: k-NN arrays do not agree with ${rows} training rows`);
    const dense = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++)
      for (let i = offsets[r]; i < offsets[r + 1]; i++) dense[r * cols + columns[i]] = values[i];
    await model.fit(matrix(dense, rows, cols), labels);
  } else if (model instanceof LinearSvmClassifier) {
    restoreLinear(
      model,
      state.nFeatures as number,
      get("weights") as Float32Array,
      get("biases") as Float32Array,
      where,
    );
  } else if (model instanceof RbfSvmClassifier) {
    const features = new RandomFourierFeatures({
      gamma: state.fittedGamma as number,
      nComponents: model.nComponents,
      seed: state.featureSeed as number,
      kernels: (open(model).linearOptions as Open).kernels as never,
    }).fit(state.featureInputs as number);
    const linear = new LinearSvmClassifier({ ...(open(model).linearOptions as object), name: model.name });
    await decodeModel(state.linear as EncodedModel, arrays, `${prefix}linear/`, where, linear);
    Object.assign(open(model), {
      features,
      linear,
      fittedGamma: state.fittedGamma,
      nFeatures: state.nFeatures,
    });
  } else {
    decodeTransformer(model as Transformer, state, get, where);
  }
  restoreHistory();
  return model;
}

function restoreLinear(
  model: LinearSvmClassifier,
  nFeatures: number,
  weights: Float32Array,
  biases: Float32Array,
  where: string,
) {
  if (weights.length !== nFeatures * model.numClasses || biases.length !== model.numClasses)
    throw new Error(
      `${where}: linear SVM weights do not match ${nFeatures} features × ${model.numClasses} classes`,
    );
  const kernels = model.kernels;
  const w = kernels.alloc(weights.length);
  w.set(weights);
  model.weights = w;
  model.biases = biases.slice();
  open(model).nFeatures = nFeatures;
}

function decodeTransformer(
  model: Transformer,
  state: Open,
  get: (name: string) => StoredArray,
  where: string,
) {
  const nFeatures = state.nFeatures;
  if (!Number.isInteger(nFeatures)) throw new Error(`${where}: ${model.name}'s feature count is missing`);
  if (model instanceof StandardScaler) {
    Object.assign(model, { mean: get("mean"), std: get("std"), scale: get("scale") });
  } else if (model instanceof PCA) {
    const components = get("components") as Float32Array;
    const k = state.nComponents as number;
    Object.assign(model, {
      nComponents: k,
      mean: get("mean"),
      components: matrix(components, k, nFeatures as number),
      explainedVariance: get("explainedVariance"),
      explainedVarianceRatio: get("explainedVarianceRatio"),
      totalVariance: state.totalVariance,
    });
  } else if (model instanceof MinMaxScaler) {
    Object.assign(model, { dataMin: get("dataMin"), dataMax: get("dataMax") });
  }
  open(model).nFeatures = nFeatures;
}

async function decodeTf(model: TfClassifier, state: Open, get: (name: string) => StoredArray, where: string) {
  const tf = getTf();
  const specs = state.weightSpecs as tfTypes.io.WeightsManifestEntry[];
  if (!Array.isArray(specs) || !state.modelTopology)
    throw new Error(`${where}: the TensorFlow.js topology is missing`);
  const parts = specs.map((spec) => get(spec.name));
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    weightData.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), at);
    at += part.byteLength;
  }
  const network = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: state.modelTopology as object,
      weightSpecs: specs,
      weightData: weightData.buffer,
    }),
  );
  restoreTf(model, network, state.nFeatures as number);
}

/** Puts a loaded tfjs network into a classifier, as `fit` would have left it. */
export function restoreTf(model: TfClassifier, network: tfTypes.LayersModel, nFeatures: number): void {
  model.dispose();
  open(model).model = network;
  open(model).nFeatures = nFeatures;
  if (model instanceof TfCnnClassifier) open(model).side = Math.round(Math.sqrt(nFeatures));
}

export type { Matrix };
