/**
 * The plain options object that configures augmentation, and its validation. Every strength is the
 * largest change drawn (uniformly in ±strength); unset parts are off. Errors name the parameter.
 */
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

/** Checks every parameter and fills in defaults. */
export function validateAugmentOptions(options: AugmentOptions): AugmentConfig {
  const height = options.height ?? 28;
  const width = options.width ?? 28;
  if (!(Number.isInteger(height) && height >= 2)) fail("height", "an integer ≥ 2", height);
  if (!(Number.isInteger(width) && width >= 2)) fail("width", "an integer ≥ 2", width);
  const [min, max] = options.range ?? [0, 1];
  if (!(Number.isFinite(min) && Number.isFinite(max) && min < max)) fail("range", "[min, max] with finite min < max", options.range);
  return { height, width, min, max, affine: affineConfig(options.affine, height, width), elastic: elasticConfig(options.elastic), noise: noiseConfig(options.noise) };
}

function affineConfig(options: AffineAugmentOptions | undefined, height: number, width: number): AffineConfig | null {
  if (!options) return null;
  const rotation = nonNegative("affine.rotation", options.rotation ?? 0, "degrees");
  const scale = nonNegative("affine.scale", options.scale ?? 0, "a zoom strength");
  if (scale >= 1) fail("affine.scale", "below 1 (the zoom factor 1 − scale must stay positive)", scale);
  const shear = nonNegative("affine.shear", options.shear ?? 0, "degrees");
  if (shear >= 90) fail("affine.shear", "below 90 degrees", shear);
  if (options.shift !== undefined && options.shiftFraction !== undefined) {
    throw new RangeError("augment: give affine.shift (pixels) or affine.shiftFraction, not both");
  }
  let shiftX = 0;
  let shiftY = 0;
  if (options.shiftFraction !== undefined) {
    const fraction = nonNegative("affine.shiftFraction", options.shiftFraction, "a fraction of the image size");
    if (fraction > 1) fail("affine.shiftFraction", "at most 1", fraction);
    shiftX = fraction * width;
    shiftY = fraction * height;
  } else {
    shiftX = shiftY = nonNegative("affine.shift", options.shift ?? 0, "pixels");
  }
  return { probability: probability("affine.probability", options.probability), rotation, shiftX, shiftY, scale, shear };
}

function elasticConfig(options: ElasticAugmentOptions | undefined): Required<ElasticAugmentOptions> | null {
  if (!options) return null;
  const alpha = nonNegative("elastic.alpha", options.alpha, "pixels");
  if (!(Number.isFinite(options.sigma) && options.sigma > 0)) fail("elastic.sigma", "a number > 0 (pixels)", options.sigma);
  return { probability: probability("elastic.probability", options.probability), alpha, sigma: options.sigma };
}

function noiseConfig(options: NoiseAugmentOptions | undefined): Required<NoiseAugmentOptions> | null {
  if (!options) return null;
  return {
    probability: probability("noise.probability", options.probability),
    std: nonNegative("noise.std", options.std ?? 0, "pixel units"),
    salt: probability("noise.salt", options.salt ?? 0),
  };
}

export function probability(name: string, value: number | undefined): number {
  const p = value ?? 1;
  if (!(p >= 0 && p <= 1)) fail(name, "a probability in [0, 1]", value);
  return p;
}

export function nonNegative(name: string, value: number, unit: string): number {
  if (!(Number.isFinite(value) && value >= 0)) fail(name, `a finite number ≥ 0 (${unit})`, value);
  return value;
}

function fail(name: string, expected: string, got: unknown): never {
  throw new RangeError(`augment: ${name} must be ${expected}, got ${JSON.stringify(got) ?? String(got)}`);
}
