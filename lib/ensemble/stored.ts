/**
 * An ensemble another command already trained, loaded without training anything: notebook 07 trains the
 * report tier within the report's budget, and shows the final tier beside it only when `npm run train`
 * has put it in the store. Loading checks that the ensemble and its members belong to this run's data
 * (weights chosen on its validation split and members trained on its training images, or members
 * trained on both: see tiers.ts), so a quick-mode store never passes for a full one.
 */
import * as fs from "fs";
import * as path from "path";
import { CARD_FILE, checkCard, libraryVersion, type ModelCard } from "../store/card";
import { dataChecksum, stackedDataChecksum } from "../store/fit-key";
import type { FinalData, FinalModel, FinalModels } from "./final";
import { loadSavedModel } from "./load";
import type { TrainingData } from "./tiers";
import { VotingClassifier } from "./voting";

/** A plain record rather than a tagged union: notebooks type-check without strict null checks. */
export interface StoredEnsemble {
  /** The ensemble and its members, or null when there is none to use (see `reason`). */
  final: FinalModels | null;
  /** The ensemble's card, or null with `final`. */
  card: ModelCard | null;
  /** Why `final` is null; "" when it is not. */
  reason: string;
}

const missing = (reason: string): StoredEnsemble => ({ final: null, card: null, reason });

/** The ensemble saved as root/name with its members, or why it cannot be used with `data`. */
export async function loadStoredEnsemble(
  root: string,
  name: string,
  data: FinalData,
): Promise<StoredEnsemble> {
  const started = performance.now();
  if (!fs.existsSync(path.join(root, name, CARD_FILE)))
    return missing(`no "${name}" in ${root} (\`npm run train\` trains it)`);
  const saved = readCard(path.join(root, name));
  if (saved.libraryVersion !== libraryVersion())
    return missing(
      `"${name}" was trained by mnist-notebooks ${saved.libraryVersion}, this is ${libraryVersion()} ` +
        "(`npm run train` trains it again)",
    );
  const { model, card } = await loadSavedModel(root, name);
  if (!(model instanceof VotingClassifier))
    return missing(`${path.join(root, name)} is a ${card.kind}, not an ensemble`);
  // The ensemble's card holds the validation split's checksum, or the training set's when its members
  // trained on the validation images too (saveEnsemble).
  let trainedOn: TrainingData;
  let membersChecksum: string;
  if (card.dataChecksum === dataChecksum(data.validation.x, data.validation.y)) {
    trainedOn = "train";
    membersChecksum = dataChecksum(data.train.x, data.train.y, data.validation);
  } else if (card.dataChecksum === stackedDataChecksum([data.train, data.validation])) {
    trainedOn = "all";
    membersChecksum = card.dataChecksum;
  } else return missing(`"${name}" was fitted on another validation split or training set (quick mode?)`);
  const memberCards = model.members.map(({ name: member }) => readCard(path.join(root, member)));
  const stranger = memberCards.find((c) => c.dataChecksum !== membersChecksum);
  if (stranger) return missing(`member "${stranger.name}" was trained on other data (quick mode?)`);

  const seconds = (performance.now() - started) / 1000;
  const members: FinalModel[] = model.members.map((m, i) => ({
    name: m.name,
    model: m.model,
    description: describeMember(m.model.name, memberCards[i]),
    status: "loaded",
    seconds: seconds / model.members.length,
    trainingSeconds: memberCards[i].trainingSeconds,
    dir: path.join(root, m.name),
  }));
  const ensemble = {
    name,
    model,
    description: `${model.name} over ${members.map((m) => m.name).join(", ")}`,
    status: "loaded" as const,
    seconds,
    trainingSeconds: card.trainingSeconds,
    dir: path.join(root, name),
  };
  return { final: { members, ensemble, trainedOn }, card, reason: "" };
}

function readCard(dir: string): ModelCard {
  const file = path.join(dir, CARD_FILE);
  return checkCard(file, JSON.parse(fs.readFileSync(file, "utf8")));
}

/** "CNN accuracy (scratch), 15 epochs, seed 0, trained 2026-12-04" from a member's card. */
function describeMember(title: string, card: ModelCard): string {
  const epochs = (card.params as { epochs?: unknown }).epochs;
  const parts = [title];
  if (typeof epochs === "number") parts.push(`${epochs} epoch${epochs === 1 ? "" : "s"}`);
  parts.push(`seed ${card.seed}`, `trained ${card.date.slice(0, 10)}`);
  return parts.join(", ");
}
