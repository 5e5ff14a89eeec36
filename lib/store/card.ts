/**
 * The model card every saved model carries: where it came from (data checksum, seed, parameters,
 * library version, date), what it cost (training time) and how good it is (validation and test
 * metrics), as `card.json` for programs and a short `README.md` for people.
 */
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../paths";

export type Implementation = "scratch" | "tfjs" | "classic" | "ensemble";

export interface ModelCard {
  name: string;
  /** The model's class, e.g. "CnnClassifier" or "Pipeline". */
  kind: string;
  implementation: Implementation;
  params: object;
  seed: number;
  /** SHA-256 of the training data (and labels, and validation data when given). */
  dataChecksum: string;
  libraryVersion: string;
  /** ISO date of the save. */
  date: string;
  trainingSeconds: number;
  metrics: { validationAccuracy?: number; testAccuracy?: number; [k: string]: unknown };
  /** The store's fit key (a hash of name, parameters, data checksum, seed and version). */
  key?: string;
  /** Rows and columns of the training data. */
  trainingData?: { rows: number; cols: number };
  /** The model's display name, e.g. "CNN reference (scratch)". */
  title?: string;
}

export const CARD_FILE = "card.json";

let cachedVersion: string | null = null;

/** This library's version, from package.json. */
export function libraryVersion(): string {
  if (cachedVersion === null) {
    const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot(), "package.json"), "utf8"));
    cachedVersion = String(manifest.version);
  }
  return cachedVersion;
}

/** The card's fields checked, with an error naming the file and the field. */
export function checkCard(file: string, card: unknown): ModelCard {
  if (card === null || typeof card !== "object") throw new Error(`${file}: not a model card`);
  const c = card as Record<string, unknown>;
  for (const [field, type] of [
    ["name", "string"],
    ["kind", "string"],
    ["implementation", "string"],
    ["params", "object"],
    ["seed", "number"],
    ["dataChecksum", "string"],
    ["libraryVersion", "string"],
    ["date", "string"],
    ["trainingSeconds", "number"],
    ["metrics", "object"],
  ] as const) {
    if (typeof c[field] !== type || c[field] === null)
      throw new Error(`${file}: field "${field}" must be a ${type}, got ${JSON.stringify(c[field])}`);
  }
  return card as ModelCard;
}

/** A short README for the model's folder. */
export function cardReadme(card: ModelCard): string {
  const percent = (v: unknown) => (typeof v === "number" ? `${(100 * v).toFixed(2)}%` : "not measured");
  const others = Object.entries(card.metrics).filter(([k]) => k !== "validationAccuracy" && k !== "testAccuracy");
  const data = card.trainingData ? `${card.trainingData.rows} × ${card.trainingData.cols}` : "unknown size";
  return [
    `# ${card.name}`,
    "",
    `${card.title ?? card.kind} (${card.kind}, ${card.implementation}), saved by mnist-notebooks ` +
      `${card.libraryVersion} on ${card.date}.`,
    "",
    "| | |",
    "|---|---|",
    `| validation accuracy | ${percent(card.metrics.validationAccuracy)} |`,
    `| test accuracy | ${percent(card.metrics.testAccuracy)} |`,
    ...others.map(([k, v]) => `| ${k} | ${typeof v === "number" ? Number(v.toPrecision(6)) : JSON.stringify(v)} |`),
    `| training time | ${card.trainingSeconds.toFixed(1)} s |`,
    `| seed | ${card.seed} |`,
    `| training data | ${data}, SHA-256 \`${card.dataChecksum}\` |`,
    "",
    "Parameters:",
    "",
    "```json",
    JSON.stringify(card.params, null, 2),
    "```",
    "",
    "Load it with `await mn.store.loadModel(dir)`; `card.json` holds these figures for programs.",
    "",
  ].join("\n");
}
