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

/**
 * What each tier's members train on. "train": the 55,000 training images, with the 5,000 validation
 * images held out to choose the ensemble's temperatures and weights and to compare the members (what
 * notebook 07 shows). "all": all 60,000 (train and validation), as scikit-learn's `refit=True` does
 * after a search: the recipe (preset, epochs, augmentation, equal weights) was chosen on validation with
 * members trained on "train", so the final step only gives the same recipe 9% more images. Its members
 * have no validation score, and its ensemble votes with equal weights, fixed in advance.
 */
export type TrainingData = "train" | "all";
export const TIER_TRAINING_DATA: Record<EnsembleTier, TrainingData> = { final: "all", report: "train" };

/** Throws unless `tier` names one of ENSEMBLE_TIERS. */
export function checkTier(tier: unknown): EnsembleTier {
  if (typeof tier !== "string" || !(ENSEMBLE_TIERS as readonly string[]).includes(tier)) {
    throw new RangeError(`tier must be one of ${ENSEMBLE_TIERS.join(", ")}, got ${JSON.stringify(tier)}`);
  }
  return tier as EnsembleTier;
}
