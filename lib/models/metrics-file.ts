/**
 * reports/metrics.json: every model's figures, written by notebook 03 (writeResults), notebook 07 and
 * `npm run train`, and read by the report index. Writers after the first merge their rows in: a row
 * replaces the row of the same model name, other rows stay, so the file holds every model once. Rows of
 * the other mode (quick vs full) are dropped rather than mixed: quick figures are not results.
 */
import * as fs from "fs";
import * as path from "path";
import { isQuickMode } from "../quick";
import { resultsDir } from "./evaluate";

export const METRICS_FILE = "metrics.json";

export interface MetricsRow {
  model: string;
  implementation: string;
  /** Accuracy on the test set, in [0, 1]. */
  testAccuracy: number;
  fitSeconds: number;
  predictSeconds: number;
  trainSamples: number;
  evalSamples: number;
  validationAccuracy?: number;
  /** Time the model took to train, also when this run loaded it from the store. */
  trainingSeconds?: number;
  /** Whether this run trained the model or loaded it from the model store. */
  status?: "trained" | "loaded";
  /** 95% bootstrap interval of the test accuracy. */
  interval?: { lower: number; upper: number; level: number };
  /** Bytes of the saved model on disk. */
  sizeBytes?: number;
  /** Who wrote the row: "notebook 03", "notebook 07", "npm run train". */
  source?: string;
}

/** One notebook of the last `npm run report` (scripts/report.ts): its time, peak memory and outcome. */
export interface NotebookRunRow {
  name: string;
  seconds: number;
  /** The kernel process's peak resident memory; absent for a run through nbconvert. */
  peakRssBytes?: number;
  ok: boolean;
}

export interface MetricsFile {
  date: string;
  quick: boolean;
  results: MetricsRow[];
  /** The last report run's notebooks, and the peak memory of the runner process itself. */
  notebooks?: { date: string; quick: boolean; runnerPeakRssBytes: number; runs: NotebookRunRow[] };
}

/** Reads resultsDir()/metrics.json (or `file`); null when it does not exist. */
export function readMetrics(file = path.join(resultsDir(), METRICS_FILE)): MetricsFile | null {
  if (!fs.existsSync(file)) return null;
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as MetricsFile;
  if (!Array.isArray(parsed?.results))
    throw new Error(`${file}: expected { date, quick, results: [...] }, found no results list`);
  return parsed;
}

/** Merges `rows` into resultsDir()/metrics.json (see the file comment); returns the path. */
export function mergeMetrics(rows: MetricsRow[]): string {
  const dir = resultsDir();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, METRICS_FILE);
  const quick = isQuickMode();
  let kept: MetricsFile | null = null;
  try {
    const existing = readMetrics(file);
    if (existing && existing.quick === quick) kept = existing;
  } catch {
    // An unreadable file is replaced: it holds nothing this run can keep.
  }
  const names = new Set(rows.map((r) => r.model));
  const results = [...(kept?.results ?? []).filter((r) => !names.has(r.model)), ...rows];
  // Other entries (the report's notebook runs) stay as they were.
  const content: MetricsFile = { ...kept, date: new Date().toISOString(), quick, results };
  fs.writeFileSync(file, JSON.stringify(content, null, 2) + "\n");
  return file;
}
