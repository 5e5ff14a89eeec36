/**
 * How a search validates each candidate: k-fold cross-validation (cv: 3) or one held-out split
 * (cv: { validationFraction: 0.2 }), both stratified and seeded, both made from the training data only.
 */
import { checkScalar } from "../validation";
import { stratifiedKFold } from "./stratified-kfold";
import { stratifiedSplit, type SplitIndices } from "./stratified-split";

export type ValidationScheme = number | { validationFraction: number };

export function makeFolds(who: string, y: Uint8Array, cv: ValidationScheme, seed: number): SplitIndices[] {
  if (typeof cv === "number") {
    checkScalar(who, "cv", cv, { integer: true, min: 2 });
    try {
      return stratifiedKFold(y, cv, seed);
    } catch (error) {
      throw new RangeError(`${who}: ${(error as Error).message}`);
    }
  }
  if (!cv || typeof cv !== "object" || !("validationFraction" in cv)) {
    throw new TypeError(
      `${who}: cv must be a number of folds or { validationFraction }, got ${JSON.stringify(cv)}`,
    );
  }
  return [stratifiedSplit(y, cv.validationFraction, seed)];
}

export function describeScheme(cv: ValidationScheme): string {
  return typeof cv === "number" ? `${cv}-fold CV` : `a ${Math.round(cv.validationFraction * 100)}% hold-out`;
}
