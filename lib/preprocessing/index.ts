/** Preprocessing: fit-on-train / transform-any-split transformers, and moment-based image normalisation. */
export { BaseTransformer, OptionlessTransformer, type Transformer } from "./transformer";
export { PixelScaler, MinMaxScaler } from "./scalers";
export { StandardScaler, type StandardScalerOptions } from "./standard-scaler";
export { PCA, type PCAOptions } from "./pca";
export { featureCovariance, type FeatureCovariance } from "./covariance";
export { symmetricEigen, type SymmetricEigen } from "./eigen";
export {
  flattenImages,
  reshapeToImages,
  imageAt,
  mapImages,
  checkImage,
  type ImageBatch,
  type PixelArray,
} from "./images";
export { imageMoments, type ImageMoments } from "./moments";
export { deskew, centerByMass, type ImageSize } from "./deskew";
export { Deskew } from "./deskew-transformer";
export { warpAffine, warpImage, sampleBilinear, IDENTITY, type InverseAffine } from "./warp";
