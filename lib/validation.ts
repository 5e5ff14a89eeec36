/**
 * Argument checks, in one place, after scikit-learn's `sklearn/utils/validation.py`. Every public
 * function and constructor of the library checks what it is given with these, so that bad input fails
 * at once with a message naming the owner, the argument, the value and what was expected, instead of
 * producing a plausible-looking wrong number later.
 *
 * `who` is the owner as a reader knows it ("KNeighborsClassifier", "loadMnist", "affine"); messages read
 * "`who`: `name` must be …, got …".
 */
import type { Matrix } from "./matrix";

export interface ScalarBounds {
  /** Require an integer (default false: any finite real). */
  integer?: boolean;
  min?: number;
  max?: number;
  /** The bound itself is not allowed (e.g. a learning rate > 0). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/**
 * Returns `value` if it is a finite number (an integer if asked) within the bounds, else throws a
 * RangeError (TypeError for non-numbers, so `"40"` is not taken for 40). NaN and ±Infinity never pass.
 */
export function checkScalar(who: string, name: string, value: unknown, bounds: ScalarBounds = {}): number {
  const { integer = false, min, max, minExclusive = false, maxExclusive = false } = bounds;
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || (minExclusive ? value > min : value >= min)) &&
    (max === undefined || (maxExclusive ? value < max : value <= max));
  if (ok) return value;
  // The message is built only on failure: hot paths (Random.int) call this per draw.
  const message = `${who}: ${name} must be ${describeBounds(bounds)}, got ${describeValue(value)}`;
  throw typeof value === "number" ? new RangeError(message) : new TypeError(message);
}

/** An integer ≥ 1: counts, sizes, epochs. */
export function checkPositiveInteger(who: string, name: string, value: unknown): number {
  return checkScalar(who, name, value, { integer: true, min: 1 });
}

/** A real > 0: learning rates, regularisation strengths, kernel widths. */
export function checkPositiveReal(who: string, name: string, value: unknown): number {
  return checkScalar(who, name, value, { min: 0, minExclusive: true });
}

/** Largest seed: seeds are 32-bit, so larger ones (or fractions) would alias smaller ones. */
export const MAX_SEED = 2 ** 32 - 1;

/** An integer seed in 0..2^32-1: 1.9 and 2^32+1 would otherwise silently give the same run as 1. */
export function checkSeed(who: string, value: unknown, name = "seed"): number {
  return checkScalar(who, name, value, { integer: true, min: 0, max: MAX_SEED });
}

/** Returns `value` if it is one of `choices`, else throws naming them all. */
export function checkChoice<T extends string>(
  who: string,
  name: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
  const list = choices.map((c) => JSON.stringify(c)).join(", ");
  throw new RangeError(`${who}: ${name} must be one of ${list}, got ${describeValue(value)}`);
}

/**
 * Throws if `options` has a key that is not in `known` (a misspelled option would otherwise be ignored
 * without a word), naming the unknown key and listing the known ones.
 */
export function checkOptionKeys(who: string, options: object | undefined, known: readonly string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${who}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const hint = closest(key, known);
      throw new RangeError(
        `${who}: unknown option "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}; ` +
          `known options: ${known.join(", ")}`,
      );
    }
  }
}

export interface MatrixChecks {
  /** What the matrix is, for messages (default "x"). */
  name?: string;
  /** Required number of columns (features). */
  cols?: number;
  /** Why `cols` is required, for the message (default "expected N"), e.g. "but the model was fitted on 2". */
  colsReason?: string;
  /** Allow 0 rows (default false). */
  allowEmpty?: boolean;
  /** Require every value finite (default true); the first NaN or Infinity is named by row and column. */
  finite?: boolean;
}

/** Throws unless `x` is a well-formed Matrix that meets `checks`. */
export function checkMatrix(who: string, x: Matrix, checks: MatrixChecks = {}): Matrix {
  const { name = "x", cols, colsReason, allowEmpty = false, finite = true } = checks;
  if (!x || !(x.data instanceof Float32Array)) {
    throw new TypeError(`${who}: ${name} must be a Matrix {data: Float32Array, rows, cols}`);
  }
  if (!Number.isInteger(x.rows) || !Number.isInteger(x.cols) || x.rows < 0 || x.cols <= 0) {
    throw new RangeError(`${who}: ${name} has an invalid shape ${x.rows}×${x.cols}`);
  }
  if (x.rows === 0 && !allowEmpty) throw new RangeError(`${who}: ${name} is empty (0 rows)`);
  if (x.data.length !== x.rows * x.cols) {
    throw new RangeError(`${who}: ${name} has ${x.data.length} values for a ${x.rows}×${x.cols} matrix`);
  }
  if (cols !== undefined && x.cols !== cols) {
    const reason = colsReason ?? `expected ${cols}`;
    throw new RangeError(`${who}: ${name} has ${x.cols} features per sample, ${reason}`);
  }
  if (finite) checkFinite(who, name, x.data, x.cols);
  return x;
}

/**
 * Throws at the first NaN or ±Infinity in `values`, naming its row and column when `cols` is given.
 * Summing first keeps the common case (all finite) one tight loop.
 */
export function checkFinite(who: string, name: string, values: ArrayLike<number>, cols?: number): void {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * 0;
  if (sum === 0) return;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const where = cols ? `row ${Math.floor(i / cols)}, column ${i % cols}` : `index ${i}`;
      throw new RangeError(`${who}: ${name} holds ${values[i]} at ${where}; values must be finite numbers`);
    }
  }
}

export interface LabelChecks {
  /** What the labels are, for messages (default "y"). */
  name?: string;
  /** Required count (the matrix's rows). */
  rows?: number;
  /** Labels must lie in 0..numClasses-1. */
  numClasses: number;
  /** Allow an empty array (default false). */
  allowEmpty?: boolean;
}

/** Throws unless `y` is a Uint8Array of labels in 0..numClasses-1 of the expected length. */
export function checkLabels(who: string, y: Uint8Array, checks: LabelChecks): Uint8Array {
  const { name = "y", rows, numClasses, allowEmpty = false } = checks;
  if (!(y instanceof Uint8Array)) throw new TypeError(`${who}: ${name} must be a Uint8Array of labels`);
  if (y.length === 0 && !allowEmpty) throw new RangeError(`${who}: ${name} is empty`);
  if (rows !== undefined && y.length !== rows) {
    throw new RangeError(`${who}: ${rows} samples but ${y.length} labels in ${name}`);
  }
  for (let i = 0; i < y.length; i++) {
    if (y[i] >= numClasses) {
      throw new RangeError(`${who}: ${name}[${i}] = ${y[i]} is outside 0..${numClasses - 1}`);
    }
  }
  return y;
}

function describeBounds({ integer, min, max, minExclusive, maxExclusive }: ScalarBounds): string {
  if (integer && min === 1 && max === undefined) return "a positive integer";
  if (!integer && min === 0 && minExclusive && max === undefined) return "a positive number";
  if (min !== undefined && max !== undefined) {
    if (integer) return `an integer in ${minExclusive ? min + 1 : min}..${maxExclusive ? max - 1 : max}`;
    return `a number in ${minExclusive ? "(" : "["}${min}, ${max}${maxExclusive ? ")" : "]"}`;
  }
  const kind = integer ? "an integer" : "a finite number";
  if (min !== undefined) return `${kind} ${minExclusive ? ">" : "≥"} ${min}`;
  if (max !== undefined) return `${kind} ${maxExclusive ? "<" : "≤"} ${max}`;
  return kind;
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describeValue).join(", ")}]`;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

/** The known name nearest to `key` by edit distance, if it is a plausible typo. */
function closest(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const name of known) {
    const d = editDistance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
