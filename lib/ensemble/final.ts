/**
 * The final models end to end, shared by `npm run train` and notebook 07: load MNIST with a 5,000-image
 * validation split, train (or load) each member through the model store, choose the ensemble's weights on
 * the validation split (or, for members refit on the validation images too, give them equal weights),
 * save the ensemble's manifest next to its members, and score everything on the test set once at the end.
 */
import * as fs from "fs";
import * as path from "path";
import { toMatrix, trainValidationSplit } from "../data/dataset";
import { loadMnist } from "../data/mnist";
import type { Matrix } from "../matrix";
import type { Classifier, FitOptions } from "../models/estimator";
import { timed } from "../models/evaluate";
import type { MetricsRow } from "../models/metrics-file";
import { bootstrapAccuracyInterval } from "../metrics/statistics";
import { accuracy } from "../metrics/accuracy";
import { argmaxRows, matrix, NUM_CLASSES } from "../matrix";
import { cardReadme, libraryVersion, type ModelCard } from "../store/card";
import { dataChecksum } from "../store/fit-key";
import { scoreAndCache } from "../store/score-and-cache";
import { saveEnsembleManifest } from "./manifest";
import { makeMember, PRESET_EPOCH_COST, type MemberSpec } from "./members";
import type { TrainingData } from "./tiers";
import { VotingClassifier } from "./voting";

export interface Labelled {
  x: Matrix;
  y: Uint8Array;
}

export interface FinalData {
  train: Labelled;
  validation: Labelled;
  test: Labelled;
}

/** MNIST as the final models use it: 55,000 train, 5,000 validation (seed 0), the 10,000 test images. */
export function loadFinalData(options: { quick?: boolean } = {}): FinalData {
  const quick = options.quick ?? false;
  const { train, test } = loadMnist(quick ? { trainLimit: 2500, testLimit: 1000 } : {});
  const split = trainValidationSplit(train, { validationSize: quick ? 500 : 5000, seed: 0 });
  const labelled = (d: typeof train): Labelled => ({ x: toMatrix(d), y: d.labels });
  return { train: labelled(split.train), validation: labelled(split.validation), test: labelled(test) };
}

const allImages = new WeakMap<FinalData, Labelled>();

/**
 * The images members train on (`on`, see tiers.ts's TIER_TRAINING_DATA) and the validation split their
 * `fit` watches: "train" holds it out and watches it; "all" is the training images followed by the
 * validation images (built once per FinalData), with nothing held out.
 */
export function membersTrainingSet(
  data: FinalData,
  on: TrainingData,
): { x: Matrix; y: Uint8Array; validation?: Labelled } {
  if (on === "train") return { ...data.train, validation: data.validation };
  let all = allImages.get(data);
  if (!all) {
    const { train, validation } = data;
    const pixels = new Float32Array(train.x.data.length + validation.x.data.length);
    pixels.set(train.x.data);
    pixels.set(validation.x.data, train.x.data.length);
    const labels = new Uint8Array(train.y.length + validation.y.length);
    labels.set(train.y);
    labels.set(validation.y, train.y.length);
    all = { x: matrix(pixels, train.x.rows + validation.x.rows, train.x.cols), y: labels };
    allImages.set(data, all);
  }
  return all;
}

/** The parts of the model store (lib/store) the final models use. */
export interface StoreLike {
  fitOrLoad<M extends Classifier>(
    name: string,
    make: () => M,
    data: { x: Matrix; y: ArrayLike<number> },
    options?: { seed?: number; fit?: FitOptions },
  ): Promise<{
    model: M;
    card: { date: string; trainingSeconds: number; metrics: Record<string, unknown> };
    status: "trained" | "loaded";
    seconds: number;
    dir: string;
  }>;
  recordMetrics(name: string, metrics: Record<string, number>): void;
}

export interface FinalModel {
  name: string;
  model: Classifier;
  /** What the model is, e.g. "CNN accuracy (scratch), 6 epochs, seed 0". */
  description: string;
  status: "trained" | "loaded";
  /** Seconds this run spent training or loading it. */
  seconds: number;
  /** Seconds the model took to train, whenever that was. */
  trainingSeconds: number;
  dir: string;
}

export interface FinalModels {
  members: FinalModel[];
  ensemble: FinalModel & { model: VotingClassifier };
  /** What the members trained on: with "all" they have seen the validation split, so it scores nothing. */
  trainedOn: TrainingData;
}

export interface TrainFinalOptions {
  /** Progress lines (default console.log). */
  log?: (line: string) => void;
  /** Show each member's progress bar (default true). */
  verbose?: boolean;
  /** The ensemble's name in the store (default "ensemble"). */
  ensembleName?: string;
  /** Kernel threads of each member trained (default every core). */
  threads?: number;
  /**
   * What the members train on (default "train"). With "all" the ensemble votes with equal weights,
   * as there is no held-out image left to choose them on.
   */
  trainOn?: TrainingData;
}

/**
 * Seconds of training per unit of PRESET_EPOCH_COST on a quiet 2-core machine (two threads), for the
 * estimate printed before any member has trained: the accuracy preset's 15 epochs (31.5 units) took
 * about 600 s there on 60,000 images (2026-12-05). A run's own speed replaces it once its first member
 * has trained.
 */
export const QUIET_SECONDS_PER_COST = 19;

/** "40 s", "7 min", "1 h 05 min": a duration as a person estimates it. */
export function formatMinutes(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Trains or loads every member, then fits and saves the weighted ensemble over them. */
export async function trainFinalModels(
  store: StoreLike,
  specs: MemberSpec[],
  data: FinalData,
  options: TrainFinalOptions = {},
): Promise<FinalModels> {
  const { log = console.log, ensembleName = "ensemble", trainOn = "train" } = options;
  const members = await trainMembers(store, specs, data, options);

  const trainingSet = membersTrainingSet(data, trainOn);
  const { result: ensemble, seconds } = await timed(() =>
    new VotingClassifier({
      members: members.map(({ name, model }) => ({ name, model })),
      weights: trainOn === "train" ? "validation" : "uniform",
      prefit: true,
    }).fit(trainingSet.x, trainingSet.y, { validation: trainingSet.validation }),
  );
  const root = path.dirname(members[0].dir);
  const trainingSeconds = members.reduce((total, m) => total + m.trainingSeconds, 0) + seconds;
  const dir = saveEnsemble(root, ensembleName, ensemble, {
    validation: trainingSet.validation,
    trainingSet,
    trainingSeconds,
  });
  const anyTrained = members.some((m) => m.status === "trained");
  const figures = (values: number[]) => values.map((v) => v.toFixed(3)).join(", ");
  log(
    trainOn === "train"
      ? `ensemble: temperatures ${figures(ensemble.fittedTemperatures!)} and weights ` +
          `${figures(ensemble.fittedWeights!)} chosen on validation`
      : `ensemble: equal weights (its members trained on the validation images too)`,
  );
  return {
    trainedOn: trainOn,
    members,
    ensemble: {
      name: ensembleName,
      model: ensemble,
      description: `${ensemble.name} over ${members.map((m) => m.name).join(", ")}`,
      status: anyTrained ? "trained" : "loaded",
      seconds: members.reduce((total, m) => total + m.seconds, 0) + seconds,
      trainingSeconds,
      dir,
    },
  };
}

/**
 * Trains or loads each member through the store, in order, with an estimate of the time left; the
 * ensemble is left to trainFinalModels (a process may train some members while another trains the rest).
 */
export async function trainMembers(
  store: StoreLike,
  specs: MemberSpec[],
  data: FinalData,
  options: TrainFinalOptions = {},
): Promise<FinalModel[]> {
  const { log = console.log, verbose = true } = options;
  const members: FinalModel[] = [];
  const cost = (s: MemberSpec) => s.epochs * PRESET_EPOCH_COST[s.preset];
  const totalCost = specs.reduce((total, s) => total + cost(s), 0);
  log(
    `${specs.length} member${specs.length === 1 ? "" : "s"}; training ${specs.length === 1 ? "it" : "all of them"} takes about ` +
      `${formatMinutes(totalCost * QUIET_SECONDS_PER_COST)} on a quiet 2-core machine (stored ones load in seconds)`,
  );
  const { validation, ...images } = membersTrainingSet(data, options.trainOn ?? "train");
  let secondsPerCost = NaN;
  for (const [i, spec] of specs.entries()) {
    const left = specs.slice(i).reduce((total, s) => total + cost(s), 0) * secondsPerCost;
    const eta = Number.isFinite(left)
      ? `; at most about ${formatMinutes(left)} left in all at this run's speed if none is stored`
      : "";
    const epochs = `${spec.epochs} epoch${spec.epochs === 1 ? "" : "s"}`;
    log(`[${i + 1}/${specs.length}] ${spec.name}: ${spec.preset} preset, ${epochs}${eta}`);
    const make = () => makeMember(spec, { verbose, threads: options.threads });
    const entry = await store.fitOrLoad(spec.name, make, images, {
      seed: spec.seed,
      fit: { validation, verbose },
    });
    if (entry.status === "trained") secondsPerCost = entry.seconds / cost(spec);
    members.push({
      name: spec.name,
      model: entry.model,
      description: `${entry.model.name}, ${spec.epochs} epoch${spec.epochs === 1 ? "" : "s"}, seed ${spec.seed}, ${spec.source}`,
      status: entry.status,
      seconds: entry.seconds,
      trainingSeconds: entry.card.trainingSeconds,
      dir: entry.dir,
    });
  }
  return members;
}

function readCardDate(dir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, "card.json"), "utf8")) as { date?: string }).date;
  } catch {
    return undefined;
  }
}

/**
 * Saves a fitted ensemble whose members are saved in the store at `root` (root/<member>/) as
 * root/<name>/: its manifest (./manifest.ts) with each member's card date, card.json and README.md.
 * The card's data checksum is the validation split's where the weights were chosen on one, else the
 * members' training set's (`trainingSet`), so a loader can tell which data the ensemble belongs to.
 * Returns the folder.
 */
export function saveEnsemble(
  root: string,
  name: string,
  ensemble: VotingClassifier,
  options: { validation?: Labelled; trainingSet?: Labelled; trainingSeconds?: number } = {},
): string {
  const dir = path.join(root, name);
  const dates = Object.fromEntries(
    ensemble.members
      .map(({ name: member }) => [member, readCardDate(path.join(root, member))])
      .filter(([, date]) => date !== undefined),
  );
  saveEnsembleManifest(ensemble, dir, dates);
  const { validation, trainingSet, trainingSeconds = 0 } = options;
  const metrics = validation ? { validationAccuracy: ensemble.score(validation.x, validation.y) } : {};
  const checked = validation ?? trainingSet;
  const card: ModelCard = {
    name,
    kind: "VotingClassifier",
    implementation: "ensemble",
    params: { weights: ensemble.weights, members: ensemble.members.map((m) => m.name) },
    seed: 0,
    dataChecksum: checked ? dataChecksum(checked.x, checked.y) : "unknown",
    libraryVersion: libraryVersion(),
    date: new Date().toISOString(),
    trainingSeconds,
    metrics,
  };
  fs.writeFileSync(path.join(dir, "card.json"), JSON.stringify(card, null, 2) + "\n");
  const rows = ensemble.members.map(
    (m, i) =>
      `| ${m.name} | ${ensemble.fittedTemperatures![i].toFixed(4)} | ${ensemble.fittedWeights![i].toFixed(4)} |`,
  );
  const readme = [
    cardReadme(card).trimEnd(),
    "",
    `${ensemble.name}: the weighted mean of its members' probabilities, each calibrated by its`,
    "temperature. The members are the models of the same names next to this folder.",
    "",
    "| member | temperature | weight |",
    "|---|---|---|",
    ...rows,
    "",
  ];
  fs.writeFileSync(path.join(dir, "README.md"), readme.join("\n"));
  return dir;
}

export interface FinalScore extends MetricsRow {
  predictions: Uint8Array;
  probabilities: Float32Array;
}

/**
 * Scores every final model on the test set, once: accuracy with a 95% bootstrap interval, prediction
 * time, size on disk; and on the validation split unless the members trained on it. The ensemble
 * reuses its members' probabilities (no second pass).
 */
export function scoreFinalModels(final: FinalModels, data: FinalData): FinalScore[] {
  const { test, validation } = data;
  const held = final.trainedOn === "train";
  const validationProbabilities = held ? final.members.map((m) => m.model.predictProba(validation.x)) : [];
  const validationAccuracyOf = (probabilities: Float32Array | undefined) =>
    probabilities && accuracy(validation.y, argmaxRows(probabilities, validation.x.rows, NUM_CLASSES));
  const score = (
    m: FinalModel,
    probabilities: Float32Array,
    predictSeconds: number,
    validationProbability: Float32Array | undefined,
  ): FinalScore => {
    const predictions = argmaxRows(probabilities, test.x.rows, NUM_CLASSES);
    const { lower, upper, level } = bootstrapAccuracyInterval(test.y, predictions, { seed: 0 });
    return {
      model: m.name,
      implementation: m.model.implementation,
      testAccuracy: accuracy(test.y, predictions),
      validationAccuracy: validationAccuracyOf(validationProbability),
      fitSeconds: m.status === "trained" ? m.seconds : 0,
      predictSeconds,
      trainSamples: data.train.x.rows + (held ? 0 : validation.x.rows),
      evalSamples: test.x.rows,
      trainingSeconds: m.trainingSeconds,
      status: m.status,
      interval: { lower, upper, level },
      sizeBytes: folderBytes(m.dir),
      predictions,
      probabilities,
    };
  };
  const rows: FinalScore[] = [];
  // Scored as the dashboard scores a stored model, and kept in its folder for notebook 08.
  for (const [i, member] of final.members.entries()) {
    const started = performance.now();
    const probabilities = scoreAndCache(member.dir, member.model, test.x);
    rows.push(score(member, probabilities, (performance.now() - started) / 1000, validationProbabilities[i]));
  }
  const started = performance.now();
  const ensembleProbabilities = final.ensemble.model.combine(rows.map((r) => r.probabilities));
  const combineSeconds = (performance.now() - started) / 1000;
  const memberSeconds = rows.reduce((total, r) => total + r.predictSeconds, 0);
  const ensembleValidation = held ? final.ensemble.model.combine(validationProbabilities) : undefined;
  const ensembleRow = score(
    final.ensemble,
    ensembleProbabilities,
    memberSeconds + combineSeconds,
    ensembleValidation,
  );
  // The ensemble's size is its members' plus its manifest.
  ensembleRow.sizeBytes = rows.reduce((total, r) => total + (r.sizeBytes ?? 0), ensembleRow.sizeBytes ?? 0);
  rows.push(ensembleRow);
  return rows;
}

/** Bytes of every file directly in `dir` (a saved model's folder). */
export function folderBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((total, entry) => total + fs.statSync(path.join(dir, entry.name)).size, 0);
}

/** The rows as reports/metrics.json keeps them (without predictions), tagged with who wrote them. */
export function metricsRows(scores: FinalScore[], source: string): MetricsRow[] {
  return scores.map(({ predictions: _p, probabilities: _q, ...row }) => ({ ...row, source }));
}
