import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { saveEnsemble } from "../../lib/ensemble/final";
import { loadSavedModel } from "../../lib/ensemble/load";
import { VotingClassifier } from "../../lib/ensemble/voting";
import { readDigitFile } from "../../lib/intake";
import { matrix } from "../../lib/matrix";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { encodePng } from "../../lib/plots/png";
import { Random } from "../../lib/random";
import { ModelStore } from "../../lib/store/model-store";

const PREDICT = path.resolve(__dirname, "..", "..", "scripts", "predict.js");

/** A 28×28 "digit": a bar at a given slant, bright ink on black, as MNIST draws them. */
function stroke(seed: number): Float32Array {
  const random = new Random(seed);
  const pixels = new Float32Array(784);
  const slant = random.normal() * 0.4;
  for (let y = 6; y < 22; y++) {
    const x = Math.round(14 + slant * (y - 14));
    for (let dx = -1; dx <= 1; dx++) pixels[y * 28 + x + dx] = 1;
  }
  return pixels;
}

/** A photo-like PNG of stroke(seed): dark ink on light paper, three times larger. */
function strokePng(file: string, seed: number): void {
  const digit = stroke(seed);
  const side = 84;
  const paper = new Uint8Array(side * side).fill(230);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      paper[y * side + x] -= Math.round(200 * digit[Math.floor(y / 3) * 28 + Math.floor(x / 3)]);
  fs.writeFileSync(file, encodePng(paper, side, side, 1));
}

function predict(args: string[], modelsDir: string) {
  return spawnSync(process.execPath, [PREDICT, ...args], {
    encoding: "utf8",
    env: { ...process.env, MNIST_MODELS_DIR: modelsDir, MNIST_QUICK: "" },
    timeout: 50000,
  });
}

describe("npm run predict", function () {
  this.timeout(120000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "predict-"));
  const models = path.join(dir, "models");
  const images = path.join(dir, "images");
  const good = [0, 1, 2].map((i) => path.join(images, `digit-${i}.png`));
  const notImage = path.join(images, "notes.png");
  const blank = path.join(images, "blank.png");
  const missing = path.join(images, "missing.png");

  before(async () => {
    fs.mkdirSync(images, { recursive: true });
    good.forEach((file, i) => strokePng(file, i));
    fs.writeFileSync(notImage, "this is not a picture");
    fs.writeFileSync(blank, encodePng(new Uint8Array(40 * 40).fill(255), 40, 40, 1));
    // Two small models on random labelled strokes: what they predict does not matter, only that the
    // command prints exactly what the saved model computes.
    const random = new Random(3);
    const n = 200;
    const x = new Float32Array(n * 784);
    for (let i = 0; i < n; i++) x.set(stroke(100 + i), i * 784);
    const y = Uint8Array.from({ length: n }, () => random.int(10));
    const data = { x: matrix(x, n, 784), y };
    const store = new ModelStore({ root: models, verbose: false });
    const a = await store.fitOrLoad("softmax-a", () => new SoftmaxRegression({ epochs: 2, seed: 1 }), data, {
      fit: { validation: data },
    });
    const b = await store.fitOrLoad("softmax-b", () => new SoftmaxRegression({ epochs: 3, seed: 2 }), data, {
      fit: { validation: data },
    });
    const ensemble = await new VotingClassifier({
      members: [
        { name: "softmax-a", model: a.model },
        { name: "softmax-b", model: b.model },
      ],
      weights: [2, 1],
      prefit: true,
    }).fit(data.x, data.y);
    saveEnsemble(models, "ensemble", ensemble, { validation: data });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("prints a table with the digit and ten probabilities per file, using the ensemble by default", () => {
    const run = predict(good, models);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split("\n");
    assert.match(lines[0], /^model: ensemble$/);
    assert.match(lines[1], /^file\s+digit\s+prob\.\s+0\s+1\s+2\s+3\s+4\s+5\s+6\s+7\s+8\s+9$/);
    assert.equal(lines.length, 2 + good.length);
    good.forEach((file, i) => {
      const cells = lines[2 + i].trim().split(/\s+/);
      assert.equal(cells[0], file);
      assert.equal(cells.length, 13);
      const probabilities = cells.slice(3).map(Number);
      assert.equal(Number(cells[1]), probabilities.indexOf(Math.max(...probabilities)));
    });
  });

  it("--json prints one object per file with what the saved model computes", async () => {
    const run = predict(["--json", "--model", "softmax-b", ...good], models);
    assert.equal(run.status, 0, run.stderr);
    const objects = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const model = (await new ModelStore({ root: models, verbose: false }).load("softmax-b")).model;
    objects.forEach((o, i) => {
      assert.deepEqual(Object.keys(o), ["file", "digit", "probabilities"]);
      assert.equal(o.file, good[i]);
      assert.equal(o.probabilities.length, 10);
      assert.ok(Math.abs(o.probabilities.reduce((s: number, p: number) => s + p, 0) - 1) < 1e-12);
      const expected = model.predictProba(matrix(readDigitFile(good[i]).pixels, 1, 784));
      o.probabilities.forEach((p: number, d: number) => assert.ok(Math.abs(p - expected[d]) < 1e-6));
      assert.equal(o.digit, expected.indexOf(Math.max(...expected)));
    });
  });

  it("a bad file gets an error line and exit code 1, and the other files are still classified", () => {
    const files = [good[0], notImage, missing, blank, good[1]];
    const run = predict(["--json", ...files], models);
    assert.equal(run.status, 1);
    const objects = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      objects.map((o) => o.file),
      files,
    );
    assert.equal(typeof objects[0].digit, "number");
    assert.equal(typeof objects[4].digit, "number");
    for (const o of objects.slice(1, 4)) assert.deepEqual(Object.keys(o), ["file", "error"]);
    assert.match(objects[1].error, /notes\.png/);
    assert.match(objects[2].error, /missing\.png: cannot read the file \(ENOENT\)/);
    const table = predict(files, models);
    assert.equal(table.status, 1);
    assert.equal(table.stdout.trim().split("\n").length, 2 + 2);
    assert.equal(table.stderr.trim().split("\n").length, 3);
    assert.match(table.stderr, /predict: error: .*blank\.png/);
  });

  it("without a trained model it says to run npm run train; an unknown model lists the saved ones", () => {
    const empty = path.join(dir, "no-models");
    const run = predict([good[0]], empty);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /no trained model in .*no-models: run `npm run train` first/);
    const unknown = predict(["--model", "nope", good[0]], models);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no saved model "nope".*saved models: ensemble, softmax-a, softmax-b/);
  });

  it("the final tier's ensemble (npm run train's) is the default over the report's", async () => {
    const tiers = path.join(dir, "tiers");
    fs.cpSync(models, tiers, { recursive: true });
    const { model } = await loadSavedModel(models, "ensemble");
    const final = new VotingClassifier({
      members: (model as VotingClassifier).members,
      weights: [1, 3],
      prefit: true,
    });
    saveEnsemble(tiers, "final-ensemble", await final.fit(matrix(stroke(1), 1, 784), Uint8Array.of(1)));
    const run = predict([good[0]], tiers);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^model: final-ensemble\n/);
    const named = predict(["--model", "ensemble", good[0]], tiers);
    assert.match(named.stdout, /^model: ensemble\n/, "a named model still wins");
  });

  it("without the ensemble, the default is the single model with the best validation accuracy", () => {
    const cards = ["softmax-a", "softmax-b"].map((name) =>
      JSON.parse(fs.readFileSync(path.join(models, name, "card.json"), "utf8")),
    );
    const best = cards.sort((p, q) => q.metrics.validationAccuracy - p.metrics.validationAccuracy)[0].name;
    const singles = path.join(dir, "singles");
    fs.mkdirSync(singles);
    for (const name of ["softmax-a", "softmax-b"])
      fs.cpSync(path.join(models, name), path.join(singles, name), { recursive: true });
    const run = predict([good[0]], singles);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^model: ${best}\\n`));
  });

  it("needs files, and refuses unknown flags", () => {
    assert.equal(predict([], models).status, 2);
    const run = predict(["--colour", good[0]], models);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /Unknown option '--colour'/);
  });
});
