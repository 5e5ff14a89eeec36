/**
 * reports/tuned.json: the tuned parameters of each model and their validation score, written by
 * notebook 5 and read by later notebooks and the training command. Only JSON-representable
 * parameters are kept (kernels, functions and the like are dropped).
 */
import * as fs from "fs";
import * as path from "path";
import { resultsDir } from "../models/evaluate";
import type { Params } from "../params";
import { isQuickMode } from "../quick";
import type { SearchResult } from "./search-result";

export interface TunedModel {
  /** Every parameter the tuned model is built with: the searched ones' winners and the fixed ones. */
  params: Params;
  validationScore: number;
  /** How the score was measured, e.g. "3-fold CV" or "successive halving on a 10% hold-out". */
  validation: string;
}

export const TUNED_FILE = "tuned.json";

/** Writes `models` (model name → tuned settings) to resultsDir()/tuned.json; returns the path. */
export function writeTunedSettings(models: Record<string, TunedModel>): string {
  const dir = resultsDir();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, TUNED_FILE);
  const cleaned = Object.fromEntries(
    Object.entries(models).map(([name, m]) => [name, { ...m, params: jsonParams(m.params) }]),
  );
  const content = { date: new Date().toISOString(), quick: isQuickMode(), models: cleaned };
  fs.writeFileSync(file, JSON.stringify(content, null, 2) + "\n");
  return file;
}

/** Reads resultsDir()/tuned.json, or null when notebook 5 has not written it. */
export function readTunedSettings(): {
  date: string;
  quick: boolean;
  models: Record<string, TunedModel>;
} | null {
  const file = path.join(resultsDir(), TUNED_FILE);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null;
}

function jsonParams(params: Params): Params {
  const out: Params = {};
  for (const [name, value] of Object.entries(params)) {
    const plain =
      value === null || ["number", "string", "boolean"].includes(typeof value) || Array.isArray(value);
    if (plain) out[name] = value;
  }
  return out;
}

/**
 * A search's winner as reports/tuned.json records it: the searched model's parameters (e.g. the CNN's
 * preset, which was not searched) with the winning ones in place, so a reader can rebuild the model.
 */
export function tunedSettingsOf(result: SearchResult, validation?: string): TunedModel {
  return {
    params: { ...result.estimator.getParams(), ...result.bestParams },
    validationScore: result.bestScore,
    validation: validation ?? result.summary.scheme,
  };
}
