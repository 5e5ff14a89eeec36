/**
 * Candidate parameter sets: every combination of a grid (scikit-learn's `ParameterGrid`), and the check
 * that a candidate fits the model (known names, valid values) before any training starts.
 */
import type { HasParams, Params } from "../params";

/** Parameter name → the values to try. */
export type ParamGrid = Record<string, readonly unknown[]>;

/** Every combination, the last parameter varying fastest. Throws on an empty grid or an empty list. */
export function expandGrid(who: string, grid: ParamGrid): Params[] {
  if (!grid || typeof grid !== "object" || Object.keys(grid).length === 0) {
    throw new RangeError(`${who}: the parameter grid is empty; give at least one parameter and its values`);
  }
  let combos: Params[] = [{}];
  for (const [name, values] of Object.entries(grid)) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new RangeError(
        `${who}: parameter "${name}" has no values to try (got ${JSON.stringify(values)})`,
      );
    }
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [name]: value })));
  }
  return combos;
}

/**
 * Applies each candidate to an unfitted copy of `estimator`: an unknown name fails with the model's own
 * error (naming the model and listing its parameters), an invalid value with its constructor's check.
 */
export function checkCandidates(who: string, estimator: HasParams<object>, candidates: Params[]): void {
  if (candidates.length === 0) throw new RangeError(`${who}: no candidates to try`);
  for (const params of candidates) {
    try {
      estimator.clone().setParams(params);
    } catch (error) {
      const e = error as Error;
      const wrapped = new (e.constructor as ErrorConstructor)(`${who}: ${e.message}`);
      throw wrapped;
    }
  }
}

/** A readable one-line form of a parameter set, e.g. "k=3, weights=distance". */
export function describeParams(params: Params): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${formatParam(value)}`)
    .join(", ");
}

/** Numbers to 3 significant digits, arrays as JSON, functions as "custom". */
export function formatParam(value: unknown): string | number | boolean {
  if (typeof value === "number") return Number.isInteger(value) ? value : Number(value.toPrecision(3));
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "function") return "custom";
  return JSON.stringify(value);
}

/**
 * The candidates with the model's own (default) values of the searched parameters first, and that
 * set removed from the rest: the search then compares every candidate with the default on the same
 * folds, and since ties go to the earlier trial, a candidate replaces the default only by scoring
 * higher on validation. `except` names parameters the search sets itself (successive halving's epochs).
 */
export function withDefaultFirst(estimator: HasParams<object>, candidates: Params[], except: string[] = []) {
  const current = estimator.getParams() as Params;
  const names = [...new Set(candidates.flatMap((c) => Object.keys(c)))].filter((n) => !except.includes(n));
  const defaults: Params = Object.fromEntries(names.map((name) => [name, current[name]]));
  const same = (c: Params) => names.every((n) => sameValue(c[n], defaults[n]));
  return [defaults, ...candidates.filter((c) => !same(c))];
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a !== "function" && JSON.stringify(a) === JSON.stringify(b));
}
