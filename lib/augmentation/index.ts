/** Data augmentation: random geometric and pixel transforms for training batches, and single-image versions for notebooks. */
export { makeAugmenter, type Augmenter, type AugmenterSettings, type RecipeAugmenter } from "./augmenter";
export { BackgroundAugmenter } from "./background";
export {
  affine,
  rotate,
  translate,
  zoom,
  shear,
  inverseAffine,
  randomInverseAffine,
  type AffineParameters,
} from "./affine";
export { ElasticField, elasticDistort, type ElasticParameters } from "./elastic";
export { addGaussianNoise, addSaltNoise } from "./noise";
export {
  validateAugmentOptions,
  type AugmentOptions,
  type AffineAugmentOptions,
  type ElasticAugmentOptions,
  type NoiseAugmentOptions,
} from "./options";
export {
  predictProbaTta,
  predictProbaView,
  predictTta,
  scoreTta,
  TTA_VIEW_SETS,
  type TtaOptions,
  type TtaViewSet,
  type ProbabilityModel,
} from "./test-time";
export {
  compareViewSets,
  chooseViewSet,
  type ViewSetScore,
  type CompareViewSetsOptions,
} from "./tta-selection";
