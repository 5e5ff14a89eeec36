/**
 * Any saved model by name, for `npm run predict` and the notebooks: an ensemble (a manifest naming store
 * members, ./manifest.ts) or a single model (lib/store), and which model to use when none is named.
 */
import * as fs from "fs";
import * as path from "path";
import type { Classifier } from "../models/estimator";
import { checkCard, CARD_FILE, type ModelCard } from "../store/card";
import { loadModel } from "../store/save-load";
import { loadEnsemble } from "./manifest";
import { ENSEMBLE_TIERS, TIER_ENSEMBLE_NAMES } from "./tiers";

/** The cards of the models saved under `root`, by folder name; folders without a readable card skipped. */
export function savedModelCards(root: string): ModelCard[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const file = path.join(root, entry.name, CARD_FILE);
      try {
        return [checkCard(file, JSON.parse(fs.readFileSync(file, "utf8")))];
      } catch {
        return [];
      }
    });
}

/**
 * The model to use when none is named: the best tier's ensemble present ("final-ensemble" of
 * `npm run train`, else the report's "ensemble", ./tiers.ts), else any ensemble, else the single model
 * with the best validation accuracy (test accuracy only when no card has a validation figure); null
 * when nothing is saved.
 */
export function defaultModelName(cards: ModelCard[]): string | null {
  const ensembles = cards.filter((c) => c.implementation === "ensemble");
  const tierEnsemble = ENSEMBLE_TIERS.map((tier) => TIER_ENSEMBLE_NAMES[tier]).find((name) =>
    ensembles.some((c) => c.name === name),
  );
  if (tierEnsemble) return tierEnsemble;
  if (ensembles.length > 0) return ensembles[0].name;
  if (cards.length === 0) return null;
  const figure = (c: ModelCard, key: "validationAccuracy" | "testAccuracy") =>
    typeof c.metrics?.[key] === "number" ? (c.metrics[key] as number) : -1;
  const key = cards.some((c) => figure(c, "validationAccuracy") >= 0) ? "validationAccuracy" : "testAccuracy";
  return [...cards].sort((a, b) => figure(b, key) - figure(a, key))[0].name;
}

/** Loads the model saved as root/name: an ensemble with its members, or a single model. */
export async function loadSavedModel(
  root: string,
  name: string,
): Promise<{ model: Classifier; card: ModelCard }> {
  const dir = path.join(root, name);
  const cardFile = path.join(dir, CARD_FILE);
  if (!fs.existsSync(cardFile)) {
    const known = savedModelCards(root).map((c) => c.name);
    throw new Error(
      `no saved model "${name}" in ${root}` +
        (known.length ? `; saved models: ${known.join(", ")}` : "; run `npm run train` to train the models"),
    );
  }
  const card = checkCard(cardFile, JSON.parse(fs.readFileSync(cardFile, "utf8")));
  if (card.implementation !== "ensemble") return loadModel<Classifier>(dir);
  const model = await loadEnsemble(dir, async (member) => loadModel<Classifier>(path.join(root, member)));
  return { model, card };
}
