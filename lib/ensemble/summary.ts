/**
 * What notebook 07 shows about the final models: the comparison table of every model, the best single
 * model (chosen on validation accuracy, never on the test set), and the ensemble's gain over it with
 * McNemar's test on the test images both classified.
 */
import { mcnemarTest, type McNemarResult } from "../metrics/statistics";
import type { MetricsRow } from "../models/metrics-file";
import type { FinalScore } from "./final";

export interface EnsembleGain {
  ensemble: FinalScore;
  /**
   * The member with the best validation accuracy; the first member when none has one (members trained
   * on the validation images too: the first was named before any was trained).
   */
  best: FinalScore;
  /** Test accuracy of the ensemble minus the best member's, in percentage points. */
  gainPoints: number;
  /** b: test images the ensemble got right and the best member wrong; c: the reverse. */
  mcnemar: McNemarResult;
}

/** The best single model by validation accuracy, and the ensemble's test gain over it with McNemar's test. */
export function ensembleGain(
  scores: FinalScore[],
  yTest: Uint8Array,
  ensembleName = "ensemble",
): EnsembleGain {
  const ensemble = scores.find((s) => s.model === ensembleName);
  if (!ensemble)
    throw new Error(`ensembleGain: no score named "${ensembleName}" among ${scores.map((s) => s.model)}`);
  const singles = scores.filter((s) => s !== ensemble);
  if (singles.length === 0) throw new Error("ensembleGain: needs at least one single model to compare with");
  // Never by test accuracy: that would flatter the single model.
  const best = singles.reduce((a, b) => ((b.validationAccuracy ?? 0) > (a.validationAccuracy ?? 0) ? b : a));
  return {
    ensemble,
    best,
    gainPoints: 100 * (ensemble.testAccuracy - best.testAccuracy),
    mcnemar: mcnemarTest(yTest, ensemble.predictions, best.predictions),
  };
}

const percent = (fraction: number | undefined, digits = 2) =>
  fraction === undefined ? "–" : `${(100 * fraction).toFixed(digits)}%`;

/** Decimals for comparisonRows' number columns in `showTable` (seconds to 0.1 or 0.01 s, sizes to 10 kB). */
export const COMPARISON_DIGITS = { "training s": 1, "predict s": 2, "size MB": 2 };

/**
 * One row per model for a table: this notebook's final models first, then the models of earlier
 * notebooks from reports/metrics.json (`earlier`), without the ones already listed.
 */
export function comparisonRows(
  scores: MetricsRow[],
  earlier: MetricsRow[] = [],
): Record<string, string | number>[] {
  const names = new Set(scores.map((s) => s.model));
  const others = earlier.filter((r) => !names.has(r.model)).sort((a, b) => b.testAccuracy - a.testAccuracy);
  return [...scores, ...others].map((r) => ({
    model: r.model,
    implementation: r.implementation,
    "test accuracy": percent(r.testAccuracy),
    "95% interval": r.interval ? `${percent(r.interval.lower)} – ${percent(r.interval.upper)}` : "–",
    validation: percent(r.validationAccuracy),
    "training s": Number((r.trainingSeconds ?? r.fitSeconds).toFixed(1)),
    "predict s": Number(r.predictSeconds.toFixed(2)),
    "size MB": r.sizeBytes === undefined ? "–" : Number((r.sizeBytes / 1e6).toFixed(2)),
    "this run": r.status ?? "trained",
    from: r.source ?? "",
  }));
}

/** The few sentences a reader wants first, as Markdown. */
export function summaryText(gain: EnsembleGain, scores: FinalScore[]): string {
  const { ensemble, best, mcnemar } = gain;
  const interval = (s: FinalScore) =>
    s.interval ? ` (95% interval ${percent(s.interval.lower)}–${percent(s.interval.upper)})` : "";
  const significance =
    mcnemar.pValue < 0.05
      ? `a difference McNemar's test calls significant (p = ${mcnemar.pValue.toPrecision(2)})`
      : `a difference McNemar's test cannot tell from chance (p = ${mcnemar.pValue.toPrecision(2)})`;
  const members = scores.filter((s) => s !== ensemble);
  const trained = members.filter((s) => s.status === "trained").length;
  const singles = members.length;
  const which =
    best.validationAccuracy === undefined
      ? "its first member (no validation images were held out to choose one)"
      : "the best single model on validation";
  return [
    `The ensemble of ${singles} models classifies ${percent(ensemble.testAccuracy)} of the test images correctly` +
      `${interval(ensemble)}; ${which}, ${best.model}, reaches ${percent(best.testAccuracy)}${interval(best)}.`,
    "",
    `The ensemble is right on ${mcnemar.b} test images that model gets wrong, and wrong on ` +
      `${mcnemar.c} it gets right: a gain of ${gain.gainPoints.toFixed(2)} percentage points, ${significance}.`,
    "",
    runText(trained, singles),
  ].join("\n");
}

function runText(trained: number, members: number): string {
  if (trained === members)
    return `This run trained all ${members} members (a later run loads them from the model store).`;
  if (trained === 0) return `This run loaded all ${members} members from the model store.`;
  return `This run trained ${trained} of the ${members} members and loaded the rest from the model store.`;
}
