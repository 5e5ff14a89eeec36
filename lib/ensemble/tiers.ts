/**
 * The tiers of saved ensembles and their store names, kept apart from the members' training code so
 * `npm run predict` can choose its default model without loading it.
 */

/**
 * The two tiers of saved ensembles. "report": the members notebook 07 trains within a cold report's
 * 25-minute budget, the ensemble "ensemble". "final": `npm run train`'s default, the best we can train
 * without a budget, its members and ensemble named with the "final-" prefix so both tiers live in one
 * store; notebook 07 shows it when present and `npm run predict` prefers it.
 */
export const ENSEMBLE_TIERS = ["final", "report"] as const;
export type EnsembleTier = (typeof ENSEMBLE_TIERS)[number];

/** The store name of each tier's ensemble, best first (the order `npm run predict` prefers them in). */
export const TIER_ENSEMBLE_NAMES: Record<EnsembleTier, string> = {
  final: "final-ensemble",
  report: "ensemble",
};

/** Throws unless `tier` names one of ENSEMBLE_TIERS. */
export function checkTier(tier: unknown): EnsembleTier {
  if (typeof tier !== "string" || !(ENSEMBLE_TIERS as readonly string[]).includes(tier)) {
    throw new RangeError(`tier must be one of ${ENSEMBLE_TIERS.join(", ")}, got ${JSON.stringify(tier)}`);
  }
  return tier as EnsembleTier;
}
