import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { applyTemperature, fitTemperature, logLoss } from "../../lib/ensemble/temperature";
import { VotingClassifier } from "../../lib/ensemble/voting";
import { loadEnsemble, MANIFEST_FILE, saveEnsembleManifest } from "../../lib/ensemble/manifest";
import { argmaxRows, matrix, NUM_CLASSES, type Matrix } from "../../lib/matrix";
import type { Classifier } from "../../lib/models/estimator";
import { Random } from "../../lib/random";

/**
 * n rows of random logits z: `probabilities` = softmax(z), and labels drawn from softmax(β·z), so the
 * temperature that calibrates the probabilities is 1/β.
 */
function miscalibrated(n: number, beta: number, seed: number) {
  const random = new Random(seed);
  const probabilities = new Float32Array(n * NUM_CLASSES);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: NUM_CLASSES }, () => 2 * random.normal());
    const softmax = (scale: number) => {
      const e = z.map((v) => Math.exp(scale * v));
      const sum = e.reduce((a, b) => a + b);
      return e.map((v) => v / sum);
    };
    softmax(1).forEach((p, c) => (probabilities[i * NUM_CLASSES + c] = p));
    // Inverse-CDF draw of the label from the sharper (or softer) distribution.
    const truth = softmax(beta);
    let u = random.uniform(0, 1);
    let label = 0;
    while (label < NUM_CLASSES - 1 && (u -= truth[label]) >= 0) label++;
    y[i] = label;
  }
  return { probabilities, y };
}

/** A fitted classifier that answers with fixed probabilities (one row per input row). */
function fixed(probabilities: Float32Array): Classifier {
  return {
    name: "fixed",
    implementation: "scratch",
    history: [],
    isFitted: true,
    fit: async function () {
      return this;
    },
    predictProba: (x: Matrix) => probabilities.slice(0, x.rows * NUM_CLASSES),
    predict: (x: Matrix) => argmaxRows(probabilities, x.rows, NUM_CLASSES),
    score: () => 0,
    getParams: () => ({}),
    setParams: function () {
      return this;
    },
    clone: function () {
      return this;
    },
  } as unknown as Classifier;
}

describe("temperature scaling", () => {
  it("keeps every row's arg-max and sum; T < 1 sharpens, T > 1 softens, T = 1 is the identity", () => {
    const { probabilities } = miscalibrated(50, 1, 1);
    assert.equal(applyTemperature(probabilities, 1), probabilities);
    const sharp = applyTemperature(probabilities, 0.5);
    const soft = applyTemperature(probabilities, 2);
    assert.deepEqual(argmaxRows(sharp, 50, NUM_CLASSES), argmaxRows(probabilities, 50, NUM_CLASSES));
    for (let i = 0; i < 50; i++) {
      const row = (p: Float32Array) => Array.from(p.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES));
      assert.ok(Math.abs(row(sharp).reduce((a, b) => a + b) - 1) < 1e-5);
      assert.ok(Math.max(...row(sharp)) >= Math.max(...row(probabilities)));
      assert.ok(Math.max(...row(soft)) <= Math.max(...row(probabilities)));
    }
  });

  it("recovers the temperature of under- and over-confident probabilities, and lowers the log-loss", () => {
    for (const beta of [2.5, 0.5]) {
      const { probabilities, y } = miscalibrated(6000, beta, 2);
      const t = fitTemperature(probabilities, y);
      assert.ok(Math.abs(t * beta - 1) < 0.1, `β ${beta}: fitted T ${t}, expected about ${1 / beta}`);
      assert.ok(logLoss(applyTemperature(probabilities, t), y) < logLoss(probabilities, y));
    }
  });

  it("refuses bad temperatures and mismatched sizes", () => {
    const { probabilities, y } = miscalibrated(10, 1, 3);
    for (const t of [0, -1, NaN, Infinity])
      assert.throws(() => applyTemperature(probabilities, t), /temperature must be/);
    assert.throws(() => fitTemperature(probabilities, y.subarray(0, 5)), /100 probabilities for 5 labels/);
  });
});

describe("the ensemble calibrates its members before choosing weights", () => {
  // An accurate member made under-confident (like a CNN trained with label smoothing), and a less
  // accurate one that is calibrated: the raw log-loss prefers the second, calibration the first.
  const n = 3000;
  const truth = miscalibrated(n, 1, 4);
  const accurate = applyTemperature(truth.probabilities, 4);
  const worse = miscalibrated(n, 1, 5).probabilities.map((p, i) => 0.5 * p + 0.5 * truth.probabilities[i]);
  const x = matrix(new Float32Array(n), n, 1);
  const members = () => [
    { name: "accurate", model: fixed(accurate) },
    { name: "worse", model: fixed(worse) },
  ];

  it("gives the accurate, under-confident member most of the weight", async () => {
    const raw = logLoss(accurate, truth.y) > logLoss(worse, truth.y);
    assert.ok(raw, "the test's premise: uncalibrated, the accurate member has the worse log-loss");
    const ensemble = await new VotingClassifier({
      members: members(),
      weights: "validation",
      prefit: true,
    }).fit(x, truth.y, { validation: { x, y: truth.y } });
    const [tAccurate] = ensemble.fittedTemperatures!;
    assert.ok(Math.abs(tAccurate - 0.25) < 0.05, `accurate member's temperature ${tAccurate}`);
    assert.ok(ensemble.fittedWeights![0] > 0.6, `weights ${ensemble.fittedWeights}`);
  });

  it("saves the temperatures and loads them back; a manifest without them means 1", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ensemble-t-"));
    try {
      const ensemble = await new VotingClassifier({
        members: members(),
        weights: "validation",
        prefit: true,
      }).fit(x, truth.y, { validation: { x, y: truth.y } });
      saveEnsembleManifest(ensemble, dir);
      const byName = Object.fromEntries(members().map((m) => [m.name, m.model]));
      const loader = async (name: string) => ({ model: byName[name] });
      const loaded = await loadEnsemble(dir, loader);
      assert.deepEqual(loaded.fittedTemperatures, ensemble.fittedTemperatures);
      assert.deepEqual(loaded.predictProba(x), ensemble.predictProba(x));

      const file = path.join(dir, MANIFEST_FILE);
      const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
      for (const m of manifest.members) delete m.temperature;
      fs.writeFileSync(file, JSON.stringify(manifest));
      assert.deepEqual((await loadEnsemble(dir, loader)).fittedTemperatures, [1, 1]);
      manifest.members[0].temperature = -2;
      fs.writeFileSync(file, JSON.stringify(manifest));
      await assert.rejects(loadEnsemble(dir, loader), /members\[0\] \(accurate\): temperature must be/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("uniform and fixed weights keep every member at temperature 1", async () => {
    const ensemble = await new VotingClassifier({ members: members(), prefit: true }).fit(x, truth.y);
    assert.deepEqual(ensemble.fittedTemperatures, [1, 1]);
  });
});
