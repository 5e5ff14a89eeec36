/**
 * What random search samples each parameter from (scikit-learn's `loguniform`, `uniform` and lists).
 * A learning rate or a regularisation strength spans orders of magnitude, so it is drawn log-uniformly:
 * 1e-4..1e-3 gets as many draws as 1e-2..1e-1.
 */
import type { Random } from "../random";
import { checkScalar } from "../validation";

export interface Distribution<T = unknown> {
  readonly kind: "log-uniform" | "uniform" | "int-uniform" | "choice";
  sample(random: Random): T;
  describe(): string;
}

function checkRange(who: string, low: number, high: number, positive = false): void {
  checkScalar(who, "low", low, positive ? { min: 0, minExclusive: true } : {});
  checkScalar(who, "high", high, positive ? { min: 0, minExclusive: true } : {});
  if (low > high) throw new RangeError(`${who}: low must be ≤ high, got low = ${low} > high = ${high}`);
}

/** exp(uniform(log low, log high)): both bounds > 0. */
export function logUniform(low: number, high: number): Distribution<number> {
  checkRange("logUniform", low, high, true);
  return {
    kind: "log-uniform",
    sample: (random) => Math.exp(random.uniform(Math.log(low), Math.log(high))),
    describe: () => `log-uniform(${low}, ${high})`,
  };
}

export function uniform(low: number, high: number): Distribution<number> {
  checkRange("uniform", low, high);
  return {
    kind: "uniform",
    sample: (random) => random.uniform(low, high),
    describe: () => `uniform(${low}, ${high})`,
  };
}

/** An integer in low..high, both included. */
export function intUniform(low: number, high: number): Distribution<number> {
  checkScalar("intUniform", "low", low, { integer: true });
  checkScalar("intUniform", "high", high, { integer: true });
  checkRange("intUniform", low, high);
  return {
    kind: "int-uniform",
    sample: (random) => low + random.int(high - low + 1),
    describe: () => `integers ${low}..${high}`,
  };
}

/** One of `values`, equally likely. */
export function choice<T>(values: readonly T[]): Distribution<T> {
  if (!Array.isArray(values) || values.length === 0) {
    throw new RangeError(`choice: values must be a non-empty array, got ${JSON.stringify(values)}`);
  }
  return {
    kind: "choice",
    sample: (random) => values[random.int(values.length)],
    describe: () => `one of ${JSON.stringify(values)}`,
  };
}

export function isDistribution(value: unknown): value is Distribution {
  return !!value && typeof value === "object" && typeof (value as Distribution).sample === "function";
}
