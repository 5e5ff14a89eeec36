/** Classifiers built on the from-scratch engine in lib/nn. */
export {
  ScratchNetworkClassifier,
  type OptimizerName,
  type SavedWeights,
  type TrainingOptions,
} from "./network-classifier";
export { SoftmaxRegression, type SoftmaxRegressionOptions } from "./softmax-regression";
export { MlpClassifier, type MlpOptions } from "./mlp-classifier";
export { CnnClassifier, type CnnOptions } from "./cnn-classifier";
export * from "./cnn-presets";
