/**
 * Time to a good model: the "speed" preset trained with five seeds (each seed's training seconds,
 * validation and test accuracy, and the machine's load), and one run of the "accuracy" preset. Each run
 * is a child `train-cnn.js --json`, so runs do not share a heap or warm caches. Targets from issue 15:
 * ≥ 99.0% mean test accuracy in ≤ 20 s of training; ≥ 99.7% test within 15 minutes.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { spread } from "./rounds";
import type { BenchOptions, BenchRow } from "./types";

export const title = "Speedrun: the speed preset over 5 seeds, and the accuracy preset";

const GROUP = "speedrun";
const SEEDS = [0, 1, 2, 3, 4];
const script = path.resolve(__dirname, "..", "train-cnn.js");

interface TrainResult {
  preset: string;
  seed: number;
  epochs: number;
  trainImages: number;
  validationAccuracy: number | null;
  testAccuracy: number;
  trainSeconds: number;
  cpuSeconds: number;
  threads: number;
  loadAverage: [number, number];
  /** With the preset's test-time augmentation (chosen on validation), or null when it has none. */
  tta: { views: string; validationAccuracy: number | null; testAccuracy: number | null } | null;
}

function trainPreset(preset: string, seed: number, quick: boolean): TrainResult {
  const limits = quick ? ["--train-limit", "6000", "--validation", "1000", "--test-limit", "2000"] : [];
  const run = spawnSync(
    process.execPath,
    [script, "--preset", preset, "--seed", String(seed), "--json", ...limits],
    { encoding: "utf8" },
  );
  if (run.status !== 0)
    throw new Error(
      `speedrun: train-cnn --preset ${preset} --seed ${seed} failed: ${run.stderr.trim().split("\n").pop()}`,
    );
  return JSON.parse(run.stdout.trim().split("\n").pop()!) as TrainResult;
}

const percent = (fraction: number | null) => (fraction === null ? "–" : `${(100 * fraction).toFixed(2)}%`);
const load = (r: TrainResult) => `${r.loadAverage[0].toFixed(1)} → ${r.loadAverage[1].toFixed(1)}`;

export async function run({ quick, accuracyPreset }: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const runs: TrainResult[] = [];
  const table = [
    "| seed | training s | CPU-s / threads | validation | test | load average |",
    "|---|---|---|---|---|---|",
  ];
  for (const seed of SEEDS) {
    const result = trainPreset("speed", seed, quick);
    runs.push(result);
    const line =
      `| ${seed} | ${result.trainSeconds.toFixed(1)} | ${(result.cpuSeconds / result.threads).toFixed(1)} | ` +
      `${percent(result.validationAccuracy)} | ${percent(result.testAccuracy)} | ${load(result)} |`;
    table.push(line);
    console.log(line);
  }
  const testMean = runs.reduce((total, r) => total + r.testAccuracy, 0) / runs.length;
  const seconds = spread(runs.map((r) => r.trainSeconds));
  const accuracies = spread(runs.map((r) => 100 * r.testAccuracy));
  table.push(
    `| mean | ${(runs.reduce((t, r) => t + r.trainSeconds, 0) / runs.length).toFixed(1)} | | | ${percent(testMean)} | |`,
  );
  console.log(
    `\nspeed preset, ${runs[0].epochs} epochs on ${runs[0].trainImages} images:\n${table.join("\n")}\n`,
  );
  rows.push(
    {
      group: GROUP,
      name: "speed preset: test accuracy, mean of 5 seeds",
      value: 100 * testMean,
      unit: "%",
      min: accuracies.min,
      max: accuracies.max,
      rounds: runs.length,
      target: "≥ 99.0%",
      note: `per seed: ${runs.map((r) => percent(r.testAccuracy)).join(", ")}`,
    },
    {
      group: GROUP,
      name: "speed preset: training time",
      value: seconds.median,
      unit: "s",
      min: seconds.min,
      max: seconds.max,
      rounds: runs.length,
      target: "≤ 20 s",
      note: `per seed: ${runs.map((r) => r.trainSeconds.toFixed(1)).join(", ")} s; load average ${runs.map(load).join(", ")}`,
    },
  );
  if (!accuracyPreset) return rows;

  const best = trainPreset("accuracy", 0, quick);
  // The preset's figure is with its test-time augmentation when it has one; the plain model's beside it.
  const headline = best.tta ? best.tta.testAccuracy! : best.testAccuracy;
  const withTta = best.tta ? ` with TTA (${best.tta.views})` : "";
  const plain = best.tta
    ? `; without TTA: test ${percent(best.testAccuracy)}, validation ${percent(best.validationAccuracy)}`
    : "";
  const validation = best.tta ? best.tta.validationAccuracy : best.validationAccuracy;
  console.log(
    `accuracy preset${withTta}: test ${percent(headline)}, validation ${percent(validation)}${plain}, ` +
      `${best.trainSeconds.toFixed(0)} s of training, load average ${load(best)}`,
  );
  rows.push(
    {
      group: GROUP,
      name: `accuracy preset: test accuracy${withTta}`,
      value: 100 * headline,
      unit: "%",
      rounds: 1,
      target: "≥ 99.7%",
      note: `validation ${percent(validation)}${plain}; ${best.epochs} epochs, seed 0`,
    },
    {
      group: GROUP,
      name: "accuracy preset: training time",
      value: best.trainSeconds,
      unit: "s",
      rounds: 1,
      target: "≤ 900 s",
      note: `load average ${load(best)}`,
    },
  );
  return rows;
}
