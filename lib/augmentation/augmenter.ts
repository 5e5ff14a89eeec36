/**
 * On-the-fly augmentation of training batches: `makeAugmenter(options)` returns the per-batch hook the
 * CNN trainer calls (its `augment` option), or runs on a worker thread one batch ahead (background.ts).
 * Every buffer is allocated once, when the hook is made; per image the hook draws its random parameters
 * from the trainer's seeded Random, so a seed reproduces every augmented batch.
 */
import { Random } from "../random";
import { InverseAffine, warpAffine, IDENTITY } from "../preprocessing/warp";
import { randomInverseAffine } from "./affine";
import { ElasticField } from "./elastic";
import { addGaussianNoise, addSaltNoise } from "./noise";
import { type AugmentConfig, type AugmentOptions, validateAugmentOptions } from "./options";
import { checkOptionKeys, checkScalar } from "../validation";

/**
 * Augments the first batchSize images (each height×width, row-major) of `images`, writing the results
 * to `output` (default: `images` itself, in place). Buffers may be longer than the batch.
 */
export type Augmenter = (
  images: Float32Array,
  batchSize: number,
  random: Random,
  output?: Float32Array,
) => void;

/** An augmenter made from a recipe: the recipe travels with it, and whether it may run in the background. */
export type RecipeAugmenter = Augmenter & {
  /** The validated recipe, so a model store can tell two augmentations apart. */
  readonly options: AugmentConfig;
  /**
   * Whether the trainer may run it on a worker thread, augmenting batch k + 1 while batch k trains
   * (lib/augmentation/background.ts); the images are the same either way.
   */
  readonly inBackground: boolean;
};

export interface AugmenterSettings {
  /** Let the trainer augment the next batch on a worker thread while this one trains (default true). */
  inBackground?: boolean;
}

export function makeAugmenter(options: AugmentOptions, settings: AugmenterSettings = {}): RecipeAugmenter {
  checkOptionKeys("makeAugmenter", settings, ["inBackground"]);
  const inBackground = settings.inBackground ?? true;
  if (typeof inBackground !== "boolean") {
    throw new TypeError(
      `makeAugmenter: inBackground must be true or false, got ${JSON.stringify(inBackground)}`,
    );
  }
  const config = validateAugmentOptions(options);
  return Object.assign(augmenterFromConfig(config), { options: config, inBackground });
}

/** The augmenter of an already validated recipe (the background worker rebuilds it from this). */
export function augmenterFromConfig(config: AugmentConfig): Augmenter {
  const { height, width, affine, elastic, noise } = config;
  const size = height * width;
  const scratch = new Float32Array(size);
  const field = elastic ? new ElasticField(height, width, elastic.alpha, elastic.sigma) : null;
  const map: InverseAffine = { ...IDENTITY };
  // Only probabilities below 1 draw a coin, so turning a transform's probability to 1 costs nothing.
  const happens = (p: number, random: Random): boolean => p >= 1 || (p > 0 && random.next() < p);

  const augment: Augmenter = (images, batchSize, random, output = images) => {
    if (!(images instanceof Float32Array) || !(output instanceof Float32Array))
      throw new TypeError("augment: images and output must be Float32Arrays");
    checkScalar("augment", "batchSize", batchSize, { integer: true, min: 0 });
    for (const [name, buffer] of [
      ["images", images],
      ["output", output],
    ] as const) {
      if (buffer.length < batchSize * size) {
        throw new RangeError(
          `augment: ${name} holds ${buffer.length} values, fewer than ${batchSize} images of ${height}×${width}`,
        );
      }
    }
    for (let n = 0; n < batchSize; n++) {
      const offset = n * size;
      const warped = affine !== null && happens(affine.probability, random);
      const distorted = field !== null && happens(elastic!.probability, random);
      if (warped || distorted) {
        if (warped) randomInverseAffine(affine, random, map);
        else Object.assign(map, IDENTITY);
        // Warping reads neighbours, so in-place work reads from a copy of the original image.
        let src = images;
        let srcOffset = offset;
        if (output === images) {
          for (let i = 0; i < size; i++) scratch[i] = images[offset + i];
          src = scratch;
          srcOffset = 0;
        }
        if (distorted) {
          field.draw(random);
          field.warp(src, srcOffset, output, offset, map);
        } else {
          warpAffine(src, srcOffset, output, offset, height, width, map);
        }
      } else if (output !== images) {
        output.set(images.subarray(offset, offset + size), offset);
      }
      if (noise !== null && happens(noise.probability, random)) {
        if (noise.std > 0) addGaussianNoise(output, offset, size, noise.std, random, config.min, config.max);
        if (noise.salt > 0) addSaltNoise(output, offset, size, noise.salt, random, config.max);
      }
    }
  };
  return augment;
}
