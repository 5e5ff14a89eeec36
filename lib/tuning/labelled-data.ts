/**
 * What a search is given: training samples and their labels, nothing else. Every split, fold and
 * subset the tuner makes is a set of row indices into this data, taken with `takeRows`.
 */
import { matrix, NUM_CLASSES, type Matrix } from "../matrix";
import { checkLabels, checkMatrix } from "../validation";

export interface LabelledData {
  x: Matrix;
  y: Uint8Array;
}

/** Checks `data` is a well-formed matrix with one label per row. */
export function checkLabelledData(who: string, data: LabelledData): LabelledData {
  if (!data || typeof data !== "object")
    throw new TypeError(`${who}: data must be { x: Matrix, y: Uint8Array }`);
  checkMatrix(who, data.x);
  checkLabels(who, data.y, { rows: data.x.rows, numClasses: NUM_CLASSES });
  return data;
}

/** The rows of `data` at `indices`, in that order (copied). */
export function takeRows(data: LabelledData, indices: ArrayLike<number>): LabelledData {
  const { x, y } = data;
  const out = new Float32Array(indices.length * x.cols);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i];
    out.set(x.data.subarray(row * x.cols, (row + 1) * x.cols), i * x.cols);
    labels[i] = y[row];
  }
  return { x: matrix(out, indices.length, x.cols), y: labels };
}

/** Row indices of each class, in their original order. */
export function indicesByClass(y: Uint8Array): number[][] {
  const byClass: number[][] = [];
  for (let i = 0; i < y.length; i++) (byClass[y[i]] ??= []).push(i);
  return byClass.filter((rows) => rows !== undefined);
}
