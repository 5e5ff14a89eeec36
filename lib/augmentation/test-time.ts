/**
 * Test-time augmentation (TTA): a classifier's probabilities averaged over a few fixed, small transforms
 * of each image (the image itself among them), so one unlucky pixel grid counts for less. The views are
 * deterministic, not random, so the same model gives the same answer every time. Whether it helps is a
 * question for the validation split: for a model trained without augmentation, shifted views can hurt.
 */
import { argmaxRows, matrix, type Matrix } from "../matrix";
import { IDENTITY, warpAffine, type InverseAffine } from "../preprocessing/warp";
import { checkMatrix, checkOptionKeys } from "../validation";
import { inverseAffine, type AffineParameters } from "./affine";

/** The named sets of views; each starts with the image itself. */
export const TTA_VIEW_SETS = {
  none: [{}],
  /** One pixel up, down, left and right. */
  shifts: [{}, { shiftX: 1 }, { shiftX: -1 }, { shiftY: 1 }, { shiftY: -1 }],
  /** One pixel in each of the eight directions: the four above and the diagonals. */
  shifts8: [
    {},
    { shiftX: 1 },
    { shiftX: -1 },
    { shiftY: 1 },
    { shiftY: -1 },
    { shiftX: 1, shiftY: 1 },
    { shiftX: 1, shiftY: -1 },
    { shiftX: -1, shiftY: 1 },
    { shiftX: -1, shiftY: -1 },
  ],
  /** Six degrees either way. */
  rotations: [{}, { rotation: 6 }, { rotation: -6 }],
  /** Both of the above. */
  "shifts+rotations": [
    {},
    { shiftX: 1 },
    { shiftX: -1 },
    { shiftY: 1 },
    { shiftY: -1 },
    { rotation: 6 },
    { rotation: -6 },
  ],
} satisfies Record<string, AffineParameters[]>;
export type TtaViewSet = keyof typeof TTA_VIEW_SETS;

export interface TtaOptions {
  /** A named set (default "shifts") or explicit affine views; an empty transform is the image itself. */
  views?: TtaViewSet | AffineParameters[];
  /** Image side (default 28). */
  height?: number;
  width?: number;
}

/** Anything with probabilities per row: every classifier in lib/models. */
export interface ProbabilityModel {
  readonly numClasses: number;
  predictProba(x: Matrix): Float32Array;
}

/** rows × classes probabilities: the mean of the model's probabilities over every view of each image. */
export function predictProbaTta(model: ProbabilityModel, x: Matrix, options: TtaOptions = {}): Float32Array {
  checkOptionKeys("predictProbaTta", options, ["views", "height", "width"]);
  const { height = 28, width = 28 } = options;
  checkMatrix("predictProbaTta", x, { cols: height * width });
  const views = resolveViews(options.views ?? "shifts");
  const mean = new Float32Array(x.rows * model.numClasses);
  for (const view of views) {
    const probabilities = predictProbaView(model, x, view, height, width);
    for (let i = 0; i < mean.length; i++) mean[i] += probabilities[i] / views.length;
  }
  return mean;
}

/** The model's probabilities for one view: every image of `x` warped by the same affine transform. */
export function predictProbaView(
  model: ProbabilityModel,
  x: Matrix,
  view: AffineParameters,
  height = 28,
  width = 28,
): Float32Array {
  const { rotation = 0, scale = 1, shear = 0, shiftX = 0, shiftY = 0 } = view;
  if (rotation === 0 && scale === 1 && shear === 0 && shiftX === 0 && shiftY === 0)
    return model.predictProba(x);
  const map: InverseAffine = inverseAffine(rotation, scale, shear, shiftX, shiftY, { ...IDENTITY });
  const warped = new Float32Array(x.data.length);
  for (let r = 0; r < x.rows; r++) warpAffine(x.data, r * x.cols, warped, r * x.cols, height, width, map);
  return model.predictProba(matrix(warped, x.rows, x.cols));
}

/** The predicted labels under test-time augmentation. */
export function predictTta(model: ProbabilityModel, x: Matrix, options: TtaOptions = {}): Uint8Array {
  return argmaxRows(predictProbaTta(model, x, options), x.rows, model.numClasses);
}

/** Accuracy in [0, 1] under test-time augmentation. */
export function scoreTta(
  model: ProbabilityModel,
  x: Matrix,
  y: ArrayLike<number>,
  options: TtaOptions = {},
): number {
  if (y.length !== x.rows) throw new RangeError(`scoreTta: ${x.rows} rows but ${y.length} labels`);
  const predicted = predictTta(model, x, options);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === y[i]) correct++;
  return correct / x.rows;
}

/** The views of a named set, or explicit views checked; errors name what was expected. */
export function resolveViews(views: TtaViewSet | AffineParameters[]): AffineParameters[] {
  if (typeof views === "string") {
    if (!Object.hasOwn(TTA_VIEW_SETS, views)) {
      const names = Object.keys(TTA_VIEW_SETS).join(", ");
      throw new RangeError(`predictProbaTta: unknown views "${views}"; the named sets are ${names}`);
    }
    return TTA_VIEW_SETS[views];
  }
  if (!Array.isArray(views) || views.length === 0)
    throw new RangeError("predictProbaTta: views must be a named set or a non-empty array of transforms");
  for (const view of views)
    checkOptionKeys("predictProbaTta view", view, ["rotation", "scale", "shear", "shiftX", "shiftY"]);
  return views;
}
