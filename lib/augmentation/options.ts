/**
 * The plain options object that configures augmentation, and its validation. Every strength is the
 * largest change drawn (uniformly in ±strength); unset parts are off. Errors name the parameter.
 */
import { checkOptionKeys, checkPositiveInteger, checkScalar } from "../validation";

export interface AffineAugmentOptions {
  /** Chance an image gets this transform (default 1). */
  probability?: number;
  /** Largest rotation, degrees (positive = counter-clockwise). */
  rotation?: number;
  /** Largest shift per axis, pixels. */
  shift?: number;
  /** Largest shift per axis as a fraction of the width/height (instead of `shift`). */
  shiftFraction?: number;
  /** Zoom factor drawn in [1 − scale, 1 + scale]; 0 ≤ scale < 1. */
  scale?: number;
  /** Largest horizontal shear angle, degrees, below 90. */
  shear?: number;
}

export interface ElasticAugmentOptions {
  probability?: number;
  /** Displacement scale in pixels (Simard et al. use 34 for 28×28 with sigma 4). */
  alpha: number;
  /** Smoothness: std of the Gaussian smoothing the random field, pixels (> 0). */
  sigma: number;
}

export interface NoiseAugmentOptions {
  probability?: number;
  /** Std of additive Gaussian noise, in pixel units (e.g. 0.1 for [0, 1] pixels). */
  std?: number;
  /** Chance each pixel is set to the range's maximum (salt noise). */
  salt?: number;
}

export interface AugmentOptions {
  /** Image size, default 28×28. */
  height?: number;
  width?: number;
  /** Pixel value range [min, max]: noise results are clamped to it and salt uses max. Default [0, 1]. */
  range?: [number, number];
  affine?: AffineAugmentOptions;
  elastic?: ElasticAugmentOptions;
  noise?: NoiseAugmentOptions;
}

export interface AffineConfig {
  probability: number;
  rotation: number;
  shiftX: number;
  shiftY: number;
  scale: number;
  shear: number;
}

export interface AugmentConfig {
  height: number;
  width: number;
  min: number;
  max: number;
  affine: AffineConfig | null;
  elastic: Required<ElasticAugmentOptions> | null;
  noise: Required<NoiseAugmentOptions> | null;
}

const WHO = "augment";
const KNOWN = {
  top: ["height", "width", "range", "affine", "elastic", "noise"],
  affine: ["probability", "rotation", "shift", "shiftFraction", "scale", "shear"],
  elastic: ["probability", "alpha", "sigma"],
  noise: ["probability", "std", "salt"],
} as const;

/**
 * Checks every parameter and fills in defaults. Unknown keys at any level are errors, with the nearest
 * known name: `{ afine: … }` or `{ affine: { rotate: 15 } }` would otherwise train without augmentation.
 */
export function validateAugmentOptions(options: AugmentOptions): AugmentConfig {
  checkOptionKeys(WHO, options, KNOWN.top);
  const height = checkPositiveInteger(WHO, "height", options.height ?? 28);
  const width = checkPositiveInteger(WHO, "width", options.width ?? 28);
  const range = options.range ?? [0, 1];
  if (!Array.isArray(range) || range.length !== 2) {
    throw new RangeError(`${WHO}: range must be [min, max], got ${JSON.stringify(range)}`);
  }
  const min = checkScalar(WHO, "range[0] (min)", range[0]);
  const max = checkScalar(WHO, "range[1] (max)", range[1], { min, minExclusive: true });
  return {
    height,
    width,
    min,
    max,
    affine: affineConfig(options.affine, height, width),
    elastic: elasticConfig(options.elastic),
    noise: noiseConfig(options.noise),
  };
}

function affineConfig(
  options: AffineAugmentOptions | undefined,
  height: number,
  width: number,
): AffineConfig | null {
  if (!options) return null;
  checkOptionKeys(`${WHO}.affine`, options, KNOWN.affine);
  const rotation = nonNegative("affine.rotation", options.rotation ?? 0);
  // The zoom factor 1 − scale must stay positive.
  const scale = checkScalar(WHO, "affine.scale", options.scale ?? 0, { min: 0, max: 1, maxExclusive: true });
  const shear = checkScalar(WHO, "affine.shear", options.shear ?? 0, { min: 0, max: 90, maxExclusive: true });
  if (options.shift !== undefined && options.shiftFraction !== undefined) {
    throw new RangeError(`${WHO}: give affine.shift (pixels) or affine.shiftFraction, not both`);
  }
  let shiftX = 0;
  let shiftY = 0;
  if (options.shiftFraction !== undefined) {
    const fraction = checkScalar(WHO, "affine.shiftFraction", options.shiftFraction, { min: 0, max: 1 });
    shiftX = fraction * width;
    shiftY = fraction * height;
  } else {
    shiftX = shiftY = nonNegative("affine.shift", options.shift ?? 0);
  }
  const probability = checkProbability("affine.probability", options.probability);
  return { probability, rotation, shiftX, shiftY, scale, shear };
}

function elasticConfig(options: ElasticAugmentOptions | undefined): Required<ElasticAugmentOptions> | null {
  if (!options) return null;
  checkOptionKeys(`${WHO}.elastic`, options, KNOWN.elastic);
  const alpha = nonNegative("elastic.alpha", options.alpha);
  const sigma = checkElasticSigma(options.sigma);
  return { probability: checkProbability("elastic.probability", options.probability), alpha, sigma };
}

function noiseConfig(options: NoiseAugmentOptions | undefined): Required<NoiseAugmentOptions> | null {
  if (!options) return null;
  checkOptionKeys(`${WHO}.noise`, options, KNOWN.noise);
  return {
    probability: checkProbability("noise.probability", options.probability),
    std: nonNegative("noise.std", options.std ?? 0),
    salt: checkProbability("noise.salt", options.salt ?? 0),
  };
}

/** A probability in [0, 1], default 1 (the transform always happens). */
function checkProbability(name: string, value: number | undefined): number {
  return checkScalar(WHO, name, value ?? 1, { min: 0, max: 1 });
}

/** A finite strength ≥ 0 (degrees, pixels, pixel units). */
export function nonNegative(name: string, value: unknown): number {
  return checkScalar(WHO, name, value, { min: 0 });
}

/**
 * The smoothing of the elastic field, pixels: > 0, and at most MAX_ELASTIC_SIGMA, beyond which the field
 * is a constant shift over any image this library handles and the smoothing kernel would not fit in memory.
 */
export const MAX_ELASTIC_SIGMA = 1000;

export function checkElasticSigma(value: unknown): number {
  return checkScalar(WHO, "elastic.sigma", value, { min: 0, minExclusive: true, max: MAX_ELASTIC_SIGMA });
}
