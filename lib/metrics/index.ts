/**
 * Evaluation metrics for classifiers: labels are Uint8Array (0..numClasses-1) and probabilities are
 * row-major Float32Array of samples × numClasses, as produced by `Classifier.predict` / `predictProba`.
 */
export { accuracy, topKAccuracy } from "./accuracy";
export { confusionMatrix, normalizeConfusionRows, mostConfusedPairs, type ConfusedPair } from "./confusion";
export {
  classificationReport,
  formatClassificationReport,
  type ClassMetrics,
  type AveragedMetrics,
  type ClassificationReport,
} from "./classification-report";
export { logLoss } from "./log-loss";
export {
  rocCurve,
  rocAuc,
  rocCurveOneVsRest,
  rocAucOneVsRest,
  type RocCurve,
  type OneVsRestAuc,
} from "./roc";
export { reliabilityCurve, expectedCalibrationError, type ReliabilityBin } from "./calibration";
export {
  bootstrapAccuracyInterval,
  mcnemarTest,
  type BootstrapOptions,
  type ConfidenceInterval,
  type McNemarOptions,
  type McNemarResult,
} from "./statistics";
export * from "./errors";
