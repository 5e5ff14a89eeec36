/** scripts/train-cnn.js: strict arguments, --help, and clear errors before any data is loaded. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { parseTrainCnnArgs, UsageError } from "../../scripts/train-cnn-args";

const script = path.resolve(__dirname, "..", "..", "scripts", "train-cnn.js");

/** Runs the script; a run that starts training instead of stopping outlives the timeout and fails. */
function runScript(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 20_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("train-cnn command line", function () {
  this.timeout(60_000);

  it("--help prints usage, lists the presets and exits 0 without training", () => {
    const run = runScript("--help");
    assert.strictEqual(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Usage: node dist\/scripts\/train-cnn.js/);
    assert.match(run.stdout, /--preset NAME +reference, strong, speed, accuracy/);
    assert.doesNotMatch(run.stdout, /training on/);
  });

  it("rejects an unknown flag, a negative --train-limit and --validation with exit code 2", () => {
    for (const [args, message] of [
      [["--bogus"], /Unknown option '--bogus'/],
      [["--train-limit", "-5"], /--train-limit must be an integer from 1 to 60000, got "-5"/],
      [["--validation", "-1"], /--validation must be an integer from 0 to 59999, got "-1"/],
      [["--preset", "fast"], /unknown --preset "fast"; the presets are reference, strong, speed, accuracy/],
    ] as const) {
      const run = runScript(...args);
      assert.strictEqual(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });

  it("a preset rejects a batch size above its capacity before loading data", () => {
    const run = runScript("--preset", "speed", "--batch-size", "100000");
    assert.strictEqual(run.status, 1, run.stderr);
    assert.match(run.stderr, /"speed" preset accepts a batchSize of at most \d+ .*got 100000/);
  });

  it("parses every option into its value, and checks ranges", () => {
    const args = parseTrainCnnArgs([
      "--preset",
      "speed",
      "--epochs",
      "3",
      "--lr=0.01",
      "--seed",
      "4",
      "--no-augment",
      "--json",
    ]);
    assert.notStrictEqual(args, "help");
    if (args === "help") return;
    assert.deepStrictEqual(
      {
        preset: args.preset,
        epochs: args.epochs,
        lr: args.learningRate,
        seed: args.seed,
        augment: args.augment,
        json: args.json,
        validation: args.validationSize,
      },
      { preset: "speed", epochs: 3, lr: 0.01, seed: 4, augment: false, json: true, validation: 5000 },
    );
    assert.throws(
      () => parseTrainCnnArgs(["--validation", "6000", "--train-limit", "6000"]),
      /--validation must be an integer from 0 to 5999, got "6000"/,
    );
    assert.throws(() => parseTrainCnnArgs(["--epochs", "1.5"]), UsageError);
    assert.throws(() => parseTrainCnnArgs(["--lr", "0"]), /--lr must be a number > 0, got "0"/);
    assert.throws(
      () => parseTrainCnnArgs(["--optimizer", "rmsprop"]),
      /unknown --optimizer "rmsprop"; use one of sgd, momentum/,
    );
    assert.throws(() => parseTrainCnnArgs(["--augment", "--no-augment"]), /contradict/);
    assert.throws(() => parseTrainCnnArgs(["extra"]), /Unexpected argument 'extra'/);
  });

  it("parses label smoothing, the augmentation strengths and --tta, rejecting values out of range", () => {
    const args = parseTrainCnnArgs([
      "--label-smoothing",
      "0.1",
      "--rotation",
      "12",
      "--shift",
      "1.5",
      "--scale",
      "0.05",
      "--tta",
      "shifts8",
    ]);
    assert.notStrictEqual(args, "help");
    if (args === "help") return;
    assert.deepStrictEqual(
      [args.labelSmoothing, args.rotation, args.shift, args.scale, args.tta],
      [0.1, 12, 1.5, 0.05, "shifts8"],
    );
    const plain = parseTrainCnnArgs([]);
    assert.ok(plain !== "help" && plain.tta === undefined && plain.labelSmoothing === undefined);
    assert.throws(
      () => parseTrainCnnArgs(["--label-smoothing", "1"]),
      /--label-smoothing must be a number ≥ 0 and < 1, got "1"/,
    );
    assert.throws(() => parseTrainCnnArgs(["--scale", "1.2"]), /--scale must be a number ≥ 0 and < 1/);
    assert.throws(() => parseTrainCnnArgs(["--rotation", "-3"]), /--rotation must be a number ≥ 0, got "-3"/);
    assert.throws(
      () => parseTrainCnnArgs(["--tta", "flips"]),
      /unknown --tta "flips"; use one of none, shifts, shifts8, rotations/,
    );
    assert.throws(() => parseTrainCnnArgs(["--tta"]), /--tta/, "--tta needs a view set");
  });

  it("parses weight averaging, elastic distortion, --no-test and --save, rejecting bad values", () => {
    const args = parseTrainCnnArgs([
      "--ema-decay",
      "0.999",
      "--elastic-alpha",
      "34",
      "--elastic-sigma",
      "4",
      "--no-test",
      "--save",
      "runs/a",
    ]);
    assert.ok(args !== "help");
    assert.deepStrictEqual(
      [args.emaDecay, args.elasticAlpha, args.elasticSigma, args.test, args.save],
      [0.999, 34, 4, false, "runs/a"],
    );
    const plain = parseTrainCnnArgs([]);
    assert.ok(plain !== "help" && plain.emaDecay === undefined && plain.test && plain.save === undefined);
    assert.throws(() => parseTrainCnnArgs(["--ema-decay", "1"]), /--ema-decay must be a number ≥ 0 and < 1/);
    assert.throws(() => parseTrainCnnArgs(["--elastic-sigma", "3"]), /--elastic-sigma needs --elastic-alpha/);
    assert.throws(
      () => parseTrainCnnArgs(["--elastic-alpha", "8", "--elastic-sigma", "0"]),
      /--elastic-sigma must be a number > 0, got "0"/,
    );
  });
});
