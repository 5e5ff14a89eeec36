/**
 * The command line of scripts/train-cnn.ts: parsed with Node's `util.parseArgs` in strict mode, every
 * value checked before any data is loaded, errors naming the option, the value and what was expected.
 */
import { parseArgs, type ParseArgsConfig } from "util";
import { TTA_VIEW_SETS, type TtaViewSet } from "../lib/augmentation/test-time";
import { CNN_PRESETS, type CnnPreset } from "../lib/models/scratch/cnn-presets";
import { OPTIMIZER_NAMES, type OptimizerName } from "../lib/models/scratch/network-classifier";
import type { ScheduleName } from "../lib/nn/schedules";

const SCHEDULE_NAMES: readonly ScheduleName[] = ["constant", "step", "cosine", "one-cycle"];
const TTA_VIEW_SET_NAMES = Object.keys(TTA_VIEW_SETS) as TtaViewSet[];
const MNIST_TRAIN_IMAGES = 60_000;
const MNIST_TEST_IMAGES = 10_000;

export const TRAIN_CNN_USAGE = `Usage: node dist/scripts/train-cnn.js [options]

Trains a from-scratch CNN on MNIST; prints validation and test accuracy, training time and peak memory.
Hyperparameters are chosen on the validation split; the test set is only reported.

  --preset NAME        ${CNN_PRESETS.join(", ")} (default reference)
  --epochs N           training epochs (default: the preset's)
  --lr X               peak learning rate (default: the preset's)
  --batch-size N       mini-batch size (default: the preset's; at most the preset's capacity)
  --optimizer NAME     ${OPTIMIZER_NAMES.join(", ")} (default: the preset's)
  --schedule NAME      ${SCHEDULE_NAMES.join(", ")} (default: the preset's)
  --weight-decay X     L2 (sgd, adam) or decoupled decay (adamw), ≥ 0
  --label-smoothing X  ε of the loss's label smoothing, in [0, 1) (default: the preset's)
  --ema-decay X        average the weights: largest per-step decay of their moving average, in [0, 1)
                       (default: the preset's; 0 = off); validation and test score the average
  --seed N             seeds initialisation, shuffling, dropout and augmentation (default 0)
  --validation N       images held out of the training set for validation (default 5000; 0 = none)
  --train-limit N      use only the first N training images (default all 60000)
  --test-limit N       evaluate on the first N test images (default all 10000)
  --augment            augment training batches (default for presets tuned with augmentation)
  --no-augment         never augment
  --rotation X         augmentation: largest rotation in degrees (with --augment; default 10)
  --shift X            augmentation: largest shift in pixels (default 2)
  --scale X            augmentation: largest zoom change, in [0, 1) (default 0.1)
  --elastic-alpha X    augmentation: also elastic distortion of this strength in pixels (default off)
  --elastic-sigma X    smoothness of the elastic field, pixels, > 0 (default 4)
  --tta VIEWS          also score validation and test with this test-time augmentation view set:
                       ${TTA_VIEW_SET_NAMES.join(", ")} (default: the preset's; chosen with
                       scripts/evaluate-tta.js on validation)
  --no-test            do not score the test set (while choosing settings on validation)
  --save DIR           save the trained model to the folder DIR (a model-store folder: card.json, weights)
  --threads N          kernel threads (default: every core)
  --json               print one JSON line with the results instead of progress
  --help               print this help and exit

Examples:
  node dist/scripts/train-cnn.js --preset speed --seed 3
  node dist/scripts/train-cnn.js --preset accuracy --json`;

export interface TrainCnnArgs {
  preset: CnnPreset;
  epochs?: number;
  learningRate?: number;
  batchSize?: number;
  optimizer?: OptimizerName;
  schedule?: ScheduleName;
  weightDecay?: number;
  labelSmoothing?: number;
  emaDecay?: number;
  seed: number;
  validationSize: number;
  trainLimit?: number;
  testLimit?: number;
  /** true/false when asked for, undefined for the preset's choice. */
  augment?: boolean;
  /** Affine strengths for --augment; undefined where the default (or the preset's) applies. */
  rotation?: number;
  shift?: number;
  scale?: number;
  elasticAlpha?: number;
  elasticSigma?: number;
  /** The test-time view set asked for; undefined for the preset's. */
  tta?: TtaViewSet;
  /** False with --no-test: the test set is not scored. */
  test: boolean;
  save?: string;
  threads?: number;
  json: boolean;
}

/** A bad command line: the message says which option, the value given and what was expected. */
export class UsageError extends Error {
  constructor(message: string) {
    super(`train-cnn: ${message} (see --help)`);
    this.name = "UsageError";
  }
}

/** The options that take a value (each checked where it is read below); the rest are switches. */
const VALUE_OPTIONS: readonly string[] = [
  "preset",
  "epochs",
  "lr",
  "batch-size",
  "optimizer",
  "schedule",
  "weight-decay",
  "label-smoothing",
  "ema-decay",
  "rotation",
  "shift",
  "scale",
  "elastic-alpha",
  "elastic-sigma",
  "tta",
  "save",
  "seed",
  "validation",
  "train-limit",
  "test-limit",
  "threads",
];
const SWITCHES: readonly string[] = ["no-test", "augment", "no-augment", "json"];

const OPTIONS: NonNullable<ParseArgsConfig["options"]> = {
  ...Object.fromEntries(VALUE_OPTIONS.map((name) => [name, { type: "string" as const }])),
  ...Object.fromEntries(SWITCHES.map((name) => [name, { type: "boolean" as const }])),
  help: { type: "boolean", short: "h" },
};

/** Parses the arguments after `node train-cnn.js`; returns "help" when usage was asked for. */
export function parseTrainCnnArgs(argv: readonly string[]): TrainCnnArgs | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: attachNegativeNumbers(argv),
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | boolean | undefined>; // no option is `multiple`
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]);
  }
  if (values.help) return "help";
  const text = (name: string) => values[name] as string | undefined;

  const preset = text("preset") ?? "reference";
  if (!(CNN_PRESETS as readonly string[]).includes(preset)) {
    throw new UsageError(`unknown --preset "${preset}"; the presets are ${CNN_PRESETS.join(", ")}`);
  }
  const trainLimit = integer("train-limit", text("train-limit"), 1, MNIST_TRAIN_IMAGES);
  const trainImages = trainLimit ?? MNIST_TRAIN_IMAGES;
  const validationSize =
    integer("validation", text("validation"), 0, trainImages - 1) ?? Math.min(5000, trainImages - 1);
  if (values.augment && values["no-augment"])
    throw new UsageError("--augment and --no-augment contradict each other");
  const elasticSigma = real("elastic-sigma", text("elastic-sigma"), { exclusiveMin: 0 });
  const elasticAlpha = real("elastic-alpha", text("elastic-alpha"), { min: 0 });
  if (elasticSigma !== undefined && elasticAlpha === undefined)
    throw new UsageError(
      "--elastic-sigma needs --elastic-alpha (the strength that turns elastic distortion on)",
    );
  return {
    preset: preset as CnnPreset,
    epochs: integer("epochs", text("epochs"), 1),
    learningRate: real("lr", text("lr"), { exclusiveMin: 0 }),
    batchSize: integer("batch-size", text("batch-size"), 1),
    optimizer: choice("optimizer", text("optimizer"), OPTIMIZER_NAMES),
    schedule: choice("schedule", text("schedule"), SCHEDULE_NAMES),
    weightDecay: real("weight-decay", text("weight-decay"), { min: 0 }),
    labelSmoothing: real("label-smoothing", text("label-smoothing"), { min: 0, max: 1 }),
    emaDecay: real("ema-decay", text("ema-decay"), { min: 0, max: 1 }),
    seed: integer("seed", text("seed"), 0, 2 ** 32 - 1) ?? 0,
    validationSize,
    trainLimit,
    testLimit: integer("test-limit", text("test-limit"), 1, MNIST_TEST_IMAGES),
    augment: values.augment ? true : values["no-augment"] ? false : undefined,
    rotation: real("rotation", text("rotation"), { min: 0 }),
    shift: real("shift", text("shift"), { min: 0 }),
    scale: real("scale", text("scale"), { min: 0, max: 1 }),
    elasticAlpha,
    elasticSigma,
    tta: choice("tta", text("tta"), TTA_VIEW_SET_NAMES),
    test: !values["no-test"],
    save: text("save"),
    threads: integer("threads", text("threads"), 1, 64),
    json: Boolean(values.json),
  };
}

/**
 * `--train-limit -5` reads as a negative number to a person; parseArgs would call it a missing value
 * followed by an unknown option. Joining it into `--train-limit=-5` lets the range check say what is wrong.
 */
function attachNegativeNumbers(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith("--") ? argv[i].slice(2) : "";
    if (VALUE_OPTIONS.includes(name) && i + 1 < argv.length && /^-(\d|\.\d|Infinity)/.test(argv[i + 1]))
      joined.push(`${argv[i]}=${argv[++i]}`);
    else joined.push(argv[i]);
  }
  return joined;
}

function integer(
  name: string,
  value: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  const number = value.trim() === "" ? NaN : Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${name} must be an integer ${range}, got "${value}"`);
  }
  return number;
}

function real(
  name: string,
  value: string | undefined,
  bound: { min?: number; exclusiveMin?: number; max?: number },
): number | undefined {
  if (value === undefined) return undefined;
  const number = value.trim() === "" ? NaN : Number(value);
  const low = bound.exclusiveMin ?? bound.min ?? -Infinity;
  const ok = Number.isFinite(number) && (bound.exclusiveMin !== undefined ? number > low : number >= low);
  // `max` is exclusive: label smoothing and zoom strength must stay below 1.
  if (!ok || (bound.max !== undefined && number >= bound.max)) {
    const lower = `${bound.exclusiveMin !== undefined ? ">" : "≥"} ${low}`;
    const upper = bound.max !== undefined ? ` and < ${bound.max}` : "";
    throw new UsageError(`--${name} must be a number ${lower}${upper}, got "${value}"`);
  }
  return number;
}

function choice<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(`unknown --${name} "${value}"; use one of ${choices.join(", ")}`);
  return value as T;
}
