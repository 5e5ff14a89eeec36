/**
 * Choosing test-time augmentation on the validation split. Every named view set is scored from one
 * forward pass per distinct view (the sets share views: "shifts8" contains "shifts"), errors are
 * counted per set, and the set with the fewest errors is chosen, summed over one or more models (seeds)
 * so that one lucky model does not decide. A tie goes to the set with fewer views, so the plain model
 * ("none") keeps its place unless a set beats it by at least one image.
 */
import { argmaxRows, type Matrix } from "../matrix";
import { checkMatrix, checkOptionKeys } from "../validation";
import type { AffineParameters } from "./affine";
import {
  predictProbaView,
  resolveViews,
  TTA_VIEW_SETS,
  type ProbabilityModel,
  type TtaViewSet,
} from "./test-time";

export interface ViewSetScore {
  views: TtaViewSet;
  /** Forward passes per image: the set's size. */
  viewCount: number;
  errors: number;
  accuracy: number;
}

export interface CompareViewSetsOptions {
  /** The named sets to compare (default every one in TTA_VIEW_SETS). */
  sets?: readonly TtaViewSet[];
  height?: number;
  width?: number;
}

/** Each named set's errors and accuracy on (x, y), in the order of `sets`. */
export function compareViewSets(
  model: ProbabilityModel,
  x: Matrix,
  y: ArrayLike<number>,
  options: CompareViewSetsOptions = {},
): ViewSetScore[] {
  checkOptionKeys("compareViewSets", options, ["sets", "height", "width"]);
  const { height = 28, width = 28 } = options;
  checkMatrix("compareViewSets", x, { cols: height * width });
  if (y.length !== x.rows) throw new RangeError(`compareViewSets: ${x.rows} rows but ${y.length} labels`);
  const sets = options.sets ?? (Object.keys(TTA_VIEW_SETS) as TtaViewSet[]);
  if (sets.length === 0) throw new RangeError("compareViewSets: sets must name at least one view set");
  // One forward pass per distinct view, shared by every set that contains it.
  const cache = new Map<string, Float32Array>();
  const probabilitiesOf = (view: AffineParameters) => {
    const key = viewKey(view);
    let probabilities = cache.get(key);
    if (!probabilities) {
      probabilities = predictProbaView(model, x, view, height, width).slice();
      cache.set(key, probabilities);
    }
    return probabilities;
  };
  return sets.map((name) => {
    const views = resolveViews(name);
    const mean = new Float32Array(x.rows * model.numClasses);
    for (const view of views) {
      const probabilities = probabilitiesOf(view);
      for (let i = 0; i < mean.length; i++) mean[i] += probabilities[i] / views.length;
    }
    const predicted = argmaxRows(mean, x.rows, model.numClasses);
    let errors = 0;
    for (let i = 0; i < x.rows; i++) if (predicted[i] !== y[i]) errors++;
    return { views: name, viewCount: views.length, errors, accuracy: 1 - errors / x.rows };
  });
}

/**
 * The set with the fewest errors summed over every model's scores (one array per model, each from
 * `compareViewSets` over the same sets); ties go to fewer views. Returns the set and its summed errors.
 */
export function chooseViewSet(scoresPerModel: readonly ViewSetScore[][]): {
  views: TtaViewSet;
  errors: number;
  plainErrors: number | null;
} {
  if (scoresPerModel.length === 0 || scoresPerModel[0].length === 0)
    throw new RangeError("chooseViewSet: needs the scores of at least one model and one view set");
  const names = scoresPerModel[0].map((score) => score.views);
  for (const scores of scoresPerModel) {
    if (scores.length !== names.length || scores.some((score, i) => score.views !== names[i]))
      throw new RangeError(
        `chooseViewSet: every model must be scored on the same sets (${names.join(", ")}), ` +
          `got ${scores.map((score) => score.views).join(", ")}`,
      );
  }
  const total = (i: number) => scoresPerModel.reduce((sum, scores) => sum + scores[i].errors, 0);
  let best = 0;
  for (let i = 1; i < names.length; i++) {
    const fewer = total(i) < total(best);
    const tieButCheaper =
      total(i) === total(best) && scoresPerModel[0][i].viewCount < scoresPerModel[0][best].viewCount;
    if (fewer || tieButCheaper) best = i;
  }
  const plain = names.indexOf("none");
  return { views: names[best], errors: total(best), plainErrors: plain >= 0 ? total(plain) : null };
}

/** The same transform gives the same key, whatever the order or spelling of its defaults. */
function viewKey(view: AffineParameters): string {
  const { rotation = 0, scale = 1, shear = 0, shiftX = 0, shiftY = 0 } = view;
  return `${rotation},${scale},${shear},${shiftX},${shiftY}`;
}
