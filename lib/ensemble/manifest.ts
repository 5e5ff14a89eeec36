/**
 * An ensemble on disk is a manifest, not a copy of its members: models/<ensemble>/manifest.json names
 * each member model in the store (models/<member>/) with its weight, its temperature (./temperature.ts;
 * 1 when a manifest written before temperatures has none) and the date its card gives, plus
 * the usual card.json and README.md. Loading reads each member through the store, so a member is saved
 * once however many ensembles use it, and a member retrained since the ensemble was saved is refused
 * (its weight was chosen for the old model) instead of silently mixed in.
 */
import * as fs from "fs";
import * as path from "path";
import type { Classifier } from "../models/estimator";
import { VotingClassifier } from "./voting";

export const ENSEMBLE_FORMAT = "mnist-notebooks/ensemble";
export const ENSEMBLE_VERSION = 1;
export const MANIFEST_FILE = "manifest.json";

export interface EnsembleManifest {
  format: typeof ENSEMBLE_FORMAT;
  version: typeof ENSEMBLE_VERSION;
  /** How the weights were set: "uniform", "validation" or "fixed". */
  weighting: string;
  /** Features per sample the members expect (784). */
  features: number;
  members: { name: string; weight: number; temperature?: number; date?: string }[];
}

/** What a member loader gives back: the fitted model, and its card's date when it has one. */
export interface LoadedMember {
  model: Classifier;
  card?: { date?: string };
}

export type MemberLoader = (name: string) => Promise<LoadedMember>;

/**
 * Writes `ensemble`'s manifest to dir/manifest.json (creating dir); `memberDates` (member name → its
 * card's date) lets a later load notice a retrained member. Card and README are the caller's.
 */
export function saveEnsembleManifest(
  ensemble: VotingClassifier,
  dir: string,
  memberDates: Record<string, string> = {},
): EnsembleManifest {
  if (!ensemble.fittedWeights || ensemble.features === null)
    throw new Error(`saveEnsembleManifest: the ensemble must be fitted before it is saved`);
  const weights = ensemble.fittedWeights;
  const temperatures = ensemble.fittedTemperatures!;
  const manifest: EnsembleManifest = {
    format: ENSEMBLE_FORMAT,
    version: ENSEMBLE_VERSION,
    weighting: Array.isArray(ensemble.weights) ? "fixed" : ensemble.weights,
    features: ensemble.features,
    members: ensemble.members.map(({ name }, i) => ({
      name,
      weight: weights[i],
      temperature: temperatures[i],
      ...(memberDates[name] ? { date: memberDates[name] } : {}),
    })),
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

/** Reads and checks dir/manifest.json; errors name the file and what is wrong. */
export function readEnsembleManifest(dir: string): EnsembleManifest {
  const file = path.join(dir, MANIFEST_FILE);
  let manifest: EnsembleManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Error(`${file}: cannot read the ensemble manifest (${reason})`);
  }
  const fail = (what: string) => {
    throw new Error(`${file}: ${what}`);
  };
  if (manifest?.format !== ENSEMBLE_FORMAT)
    fail(`not an ensemble manifest (format must be "${ENSEMBLE_FORMAT}")`);
  if (manifest.version !== ENSEMBLE_VERSION)
    fail(`version must be ${ENSEMBLE_VERSION}, got ${JSON.stringify(manifest.version)}`);
  if (!Number.isInteger(manifest.features) || manifest.features <= 0)
    fail(`features must be a positive integer, got ${JSON.stringify(manifest.features)}`);
  if (!Array.isArray(manifest.members) || manifest.members.length === 0)
    fail("members must be a non-empty list");
  manifest.members.forEach((m, i) => {
    if (typeof m?.name !== "string" || m.name === "") fail(`members[${i}].name must be a model name`);
    if (typeof m.weight !== "number" || !Number.isFinite(m.weight) || m.weight < 0)
      fail(`members[${i}] (${m.name}): weight must be a finite number ≥ 0, got ${JSON.stringify(m.weight)}`);
    const t = m.temperature;
    if (t !== undefined && (typeof t !== "number" || !Number.isFinite(t) || t <= 0))
      fail(`members[${i}] (${m.name}): temperature must be a finite number > 0, got ${JSON.stringify(t)}`);
  });
  return manifest;
}

/** The ensemble saved in dir, its members loaded by `loadMember` (by default through the model store). */
export async function loadEnsemble(dir: string, loadMember: MemberLoader): Promise<VotingClassifier> {
  const manifest = readEnsembleManifest(dir);
  const file = path.join(dir, MANIFEST_FILE);
  const members = [];
  for (const { name, date } of manifest.members) {
    let loaded: LoadedMember;
    try {
      loaded = await loadMember(name);
    } catch (err) {
      throw new Error(`${file}: member "${name}" cannot be loaded: ${(err as Error).message}`);
    }
    if (date && loaded.card?.date && loaded.card.date !== date)
      throw new Error(
        `${file}: member "${name}" was trained on ${loaded.card.date}, after the ensemble was saved with the ` +
          `one from ${date}; its weight no longer applies: train the ensemble again (npm run train)`,
      );
    members.push({ name, model: loaded.model });
  }
  const weights = manifest.members.map((m) => m.weight);
  const weighting = manifest.weighting === "uniform" ? "uniform" : weights;
  const ensemble = new VotingClassifier({ members, weights: weighting, prefit: true });
  const temperatures = manifest.members.map((m) => m.temperature ?? 1);
  return ensemble.restore(weights, manifest.features, temperatures);
}
