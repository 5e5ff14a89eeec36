/**
 * A stratified train/validation split: every class is shuffled (seeded) and cut at the same fraction,
 * so both sides keep the class proportions of the whole (as scikit-learn's `train_test_split(...,
 * stratify=y)`). Also a stratified subset, which successive halving and learning curves use to train on
 * fewer samples without changing the class balance.
 */
import { Random } from "../random";
import { checkScalar, checkSeed } from "../validation";
import { indicesByClass, takeRows, type LabelledData } from "./labelled-data";

export interface SplitIndices {
  train: Uint32Array;
  validation: Uint32Array;
}

/**
 * Splits row indices 0..y.length-1 into train and validation, `validationFraction` of every class (at
 * least one sample of each class with two or more) going to validation. Indices come out sorted.
 */
export function stratifiedSplit(y: Uint8Array, validationFraction: number, seed = 0): SplitIndices {
  const who = "stratifiedSplit";
  checkScalar(who, "validationFraction", validationFraction, {
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
  });
  checkSeed(who, seed);
  const random = new Random(seed);
  const train: number[] = [];
  const validation: number[] = [];
  for (const rows of indicesByClass(y)) {
    random.shuffle(rows);
    const held =
      rows.length < 2
        ? 0
        : Math.min(rows.length - 1, Math.max(1, Math.round(rows.length * validationFraction)));
    validation.push(...rows.slice(0, held));
    train.push(...rows.slice(held));
  }
  if (validation.length === 0) throw new RangeError(`${who}: no class has two samples, nothing to hold out`);
  return { train: sortedIndices(train), validation: sortedIndices(validation) };
}

/**
 * `size` of the row indices in `pool` (indices into y), drawn per class in proportion to the class
 * counts (largest remainders get the leftover), seeded; sorted. `size` ≥ pool.length returns the pool.
 */
export function stratifiedSubset(
  y: Uint8Array,
  pool: ArrayLike<number>,
  size: number,
  seed = 0,
): Uint32Array {
  checkScalar("stratifiedSubset", "size", size, { integer: true, min: 1 });
  if (size >= pool.length) return sortedIndices(Array.from(pool));
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < pool.length; i++) {
    const label = y[pool[i]];
    if (!byClass.has(label)) byClass.set(label, []);
    byClass.get(label)!.push(pool[i]);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const exact = classes.map((c) => (byClass.get(c)!.length * size) / pool.length);
  const counts = exact.map(Math.floor);
  let left = size - counts.reduce((a, b) => a + b, 0);
  const byRemainder = classes
    .map((_, i) => i)
    .sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (const i of byRemainder) if (left-- > 0) counts[i]++;
  const random = new Random(seed);
  const chosen: number[] = [];
  classes.forEach((c, i) => chosen.push(...random.shuffle(byClass.get(c)!.slice()).slice(0, counts[i])));
  return sortedIndices(chosen);
}

function sortedIndices(values: number[]): Uint32Array {
  return Uint32Array.from(values).sort();
}

/** A stratified sample of `size` rows of `data` (all of it when size ≥ its rows), e.g. a tuning subset. */
export function sampleRows(data: LabelledData, size: number, seed = 0): LabelledData {
  return takeRows(data, stratifiedSubset(data.y, Array.from(data.y.keys()), size, seed));
}
