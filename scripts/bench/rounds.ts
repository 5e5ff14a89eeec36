/**
 * Interleaved rounds and their spread. This VM's speed drifts by ±30% over seconds and other programs
 * share its two cores, so a single timing, or the best of two, says little: every candidate is
 * measured in turn, round after round (ours, peer, ours, peer, …), so a burst of load from elsewhere
 * hits each alike, and the headline figure is the median with the min and max beside it.
 */
export interface Spread {
  median: number;
  min: number;
  max: number;
  rounds: number;
}

/** Median, min and max of some measurements (the median of an even count is the mean of the middle two). */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError("spread: needs at least one value");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], rounds: sorted.length };
}

/**
 * Runs every candidate once per round, in the same order each round, for `rounds` rounds. A candidate
 * returns its measurement, or undefined when it cannot run (e.g. the peer is not installed), after
 * which it is skipped. Returns each candidate's spread, or undefined if it never measured.
 */
export async function interleave<K extends string>(
  rounds: number,
  candidates: Record<K, (round: number) => Promise<number | undefined> | number | undefined>,
): Promise<Record<K, Spread | undefined>> {
  const keys = Object.keys(candidates) as K[];
  const measured = new Map<K, number[]>(keys.map((key) => [key, []]));
  const gaveUp = new Set<K>();
  for (let round = 0; round < rounds; round++) {
    for (const key of keys) {
      if (gaveUp.has(key)) continue;
      const value = await candidates[key](round);
      if (value === undefined) gaveUp.add(key);
      else measured.get(key)!.push(value);
    }
  }
  const result = {} as Record<K, Spread | undefined>;
  for (const key of keys) {
    const values = measured.get(key)!;
    result[key] = values.length > 0 ? spread(values) : undefined;
  }
  return result;
}

/** The fields of a bench row for our spread and a peer's, with the ratio of medians. */
export function compared(ours: Spread, peer: Spread | undefined, higherIsBetter: boolean) {
  return {
    value: ours.median,
    min: ours.min,
    max: ours.max,
    rounds: ours.rounds,
    peerValue: peer?.median,
    peerMin: peer?.min,
    peerMax: peer?.max,
    ratio:
      peer && peer.median > 0 && ours.median > 0
        ? higherIsBetter
          ? ours.median / peer.median
          : peer.median / ours.median
        : undefined,
  };
}
