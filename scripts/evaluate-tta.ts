/**
 * Chooses test-time augmentation for CNNs saved by `train-cnn --save`, on the validation split, and only
 * then (with --test) scores the test set:
 *
 *   node dist/scripts/evaluate-tta.js --model runs/accuracy-s0                 # validation only
 *   node dist/scripts/evaluate-tta.js --model runs/a --model runs/b --test     # then the test set, once
 *
 * The validation split is train-cnn's (trainValidationSplit with seed 0 and --validation images), so
 * the models are scored on images they never trained on. Each view set's validation errors are summed
 * over the models (seeds), and the set with the fewest wins; a tie goes to fewer views, so "none" stays
 * unless a set gains at least one image. With --test, each model is scored on the test set without
 * augmentation and with the chosen set, nothing else: the test set chooses nothing.
 */
import * as os from "os";
import { chooseViewSet, compareViewSets, scoreTta, TTA_VIEW_SETS } from "../lib/augmentation";
import type { ProbabilityModel, TtaViewSet, ViewSetScore } from "../lib/augmentation";
import { toMatrix, trainValidationSplit } from "../lib/data/dataset";
import { loadMnist } from "../lib/data/mnist";
import type { Classifier } from "../lib/models/estimator";
import { loadModel } from "../lib/store/save-load";
import { exitWithUsage, parseCli, runMain } from "./cli";

const SET_NAMES = Object.keys(TTA_VIEW_SETS) as TtaViewSet[];

export const EVALUATE_TTA_USAGE = `Usage: node dist/scripts/evaluate-tta.js --model DIR [--model DIR ...] [options]

Scores saved models on the validation split with each test-time augmentation (TTA) view set, chooses
the set with the fewest validation errors summed over the models (ties: fewer views), and with --test
scores the test set once per model: without TTA and with the chosen set.

  --model DIR        a model folder saved by train-cnn --save (repeat for several seeds)
  --validation N     the validation images train-cnn held out (default 5000, as train-cnn's default)
  --sets A,B,...     the view sets to compare (default all: ${SET_NAMES.join(", ")}); none is always in
  --test             after choosing, score the test set without TTA and with the chosen set
  --json             print one JSON line with the results instead of tables
  -h, --help         print this help and exit

Example:
  node dist/scripts/evaluate-tta.js --model models-records/accuracy-s0 --sets none,shifts,shifts8`;

function usageError(message: string): never {
  exitWithUsage("evaluate-tta", message, EVALUATE_TTA_USAGE);
}

async function main(): Promise<number> {
  const values = parseCli(
    "evaluate-tta",
    EVALUATE_TTA_USAGE,
    {
      model: { type: "string", multiple: true },
      validation: { type: "string" },
      sets: { type: "string" },
      test: { type: "boolean" },
      json: { type: "boolean" },
    },
    process.argv.slice(2),
  );
  const dirs = (values.model as string[] | undefined) ?? [];
  if (dirs.length === 0) usageError("--model DIR is required (a folder saved by train-cnn --save)");
  const validationText = (values.validation as string | undefined) ?? "5000";
  const validationSize = Number(validationText);
  if (!Number.isInteger(validationSize) || validationSize < 1 || validationSize > 59_999)
    usageError(`--validation must be an integer from 1 to 59999, got "${validationText}"`);
  const sets = chosenSets(values.sets as string | undefined);
  const json = values.json === true;
  const say = (line: string) => {
    if (!json) console.log(line);
  };

  // The models first: a bad folder fails before the data is loaded.
  type Model = Classifier & ProbabilityModel;
  const models: { dir: string; model: Model; cardAccuracy: unknown }[] = [];
  for (const dir of dirs) {
    const { model, card } = await loadModel<Model>(dir);
    if (typeof model.numClasses !== "number")
      usageError(`${dir} holds a ${card.kind}, which has no class probabilities to average`);
    if (card.metrics.validationImages !== undefined && card.metrics.validationImages !== validationSize)
      usageError(
        `${dir} was validated on ${String(card.metrics.validationImages)} images, ` +
          `--validation is ${validationSize}: give the size it was trained with`,
      );
    models.push({ dir, model, cardAccuracy: card.metrics.validationAccuracy });
  }
  const { train, test } = loadMnist();
  const split = trainValidationSplit(train, { validationSize, seed: 0 });
  const x = toMatrix(split.validation);
  const y = split.validation.labels;
  say(`${models.length} model(s), ${x.rows} validation images; load average ${os.loadavg()[0].toFixed(1)}`);

  const started = performance.now();
  const scores: ViewSetScore[][] = [];
  for (const { dir, model, cardAccuracy } of models) {
    const modelScores = compareViewSets(model, x, y, { sets });
    scores.push(modelScores);
    const plain = modelScores[0].accuracy;
    // The card's figure is the same weights on train-cnn's validation split: a difference means another split.
    if (typeof cardAccuracy === "number" && Math.abs(cardAccuracy - plain) > 0.5 / x.rows)
      console.warn(
        `evaluate-tta: ${dir} scores ${percent(plain)} on this split but its card says ` +
          `${percent(cardAccuracy)}: was it trained with another --validation?`,
      );
  }
  const validationSeconds = (performance.now() - started) / 1000;
  const choice = chooseViewSet(scores);
  say(validationTable(dirs, scores).join("\n"));
  say(
    `chosen on validation: ${choice.views} (${choice.errors} errors over ${models.length} model(s); ` +
      `without TTA ${choice.plainErrors}); ${validationSeconds.toFixed(1)} s, ` +
      `load average ${os.loadavg()[0].toFixed(1)}`,
  );

  const testResults: { dir: string; plain: number; tta: number }[] = [];
  if (values.test === true) {
    const testX = toMatrix(test);
    for (const { dir, model } of models) {
      const plain = model.score(testX, test.labels);
      const tta =
        choice.views === "none" ? plain : scoreTta(model, testX, test.labels, { views: choice.views });
      testResults.push({ dir, plain, tta });
      say(`test, ${dir}: ${percent(plain)} without TTA, ${percent(tta)} with ${choice.views}`);
    }
  }
  if (json)
    console.log(
      JSON.stringify({
        validationImages: x.rows,
        models: dirs,
        validation: sets.map((views, i) => ({
          views,
          viewCount: scores[0][i].viewCount,
          errors: scores.map((modelScores) => modelScores[i].errors),
        })),
        chosen: choice,
        test: values.test === true ? testResults : null,
        validationSeconds,
        loadAverage: os.loadavg()[0],
      }),
    );
  return 0;
}

/** The sets to compare from --sets, with "none" first so that the plain model is always the baseline. */
function chosenSets(text: string | undefined): TtaViewSet[] {
  if (text === undefined) return SET_NAMES;
  const names = text.split(",").map((name) => name.trim());
  for (const name of names)
    if (!(SET_NAMES as string[]).includes(name))
      usageError(`unknown view set "${name}" in --sets; the sets are ${SET_NAMES.join(", ")}`);
  const sets: TtaViewSet[] = ["none", ...(names as TtaViewSet[]).filter((name) => name !== "none")];
  return sets.filter((name, i, all) => all.indexOf(name) === i);
}

function validationTable(dirs: string[], scores: ViewSetScore[][]): string[] {
  const header = `| view set | views | ${dirs.map((dir) => `errors, ${dir}`).join(" | ")} | total | accuracy |`;
  const lines = [header, `|---|---|${dirs.map(() => "---|").join("")}---|---|`];
  scores[0].forEach((score, i) => {
    const errors = scores.map((modelScores) => modelScores[i].errors);
    const total = errors.reduce((sum, e) => sum + e, 0);
    const accuracy = scores.reduce((sum, modelScores) => sum + modelScores[i].accuracy, 0) / scores.length;
    lines.push(
      `| ${score.views} | ${score.viewCount} | ${errors.join(" | ")} | ${total} | ${percent(accuracy)} |`,
    );
  });
  return lines;
}

const percent = (fraction: number) => `${(100 * fraction).toFixed(2)}%`;

runMain(main);
