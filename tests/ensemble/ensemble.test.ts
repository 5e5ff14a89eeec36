import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chooseVotingWeights } from "../../lib/ensemble/weights";
import { VotingClassifier } from "../../lib/ensemble/voting";
import { loadEnsemble, saveEnsembleManifest, MANIFEST_FILE } from "../../lib/ensemble/manifest";
import {
  finalMemberSpecs,
  FULL_MEMBERS,
  makeMember,
  MEMBER_AUGMENTATIONS,
  memberName,
} from "../../lib/ensemble/members";
import { matrix, NUM_CLASSES, type Matrix } from "../../lib/matrix";
import { KNeighborsClassifier } from "../../lib/models/neighbors/knn";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { Random } from "../../lib/random";

/** Ten Gaussian blobs in 12 dimensions, one per class, overlapping enough that models disagree. */
function blobs(n: number, seed: number, spread = 0.6): { x: Matrix; y: Uint8Array } {
  const random = new Random(seed);
  const x = new Float32Array(n * 12);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % NUM_CLASSES;
    for (let j = 0; j < 12; j++) x[i * 12 + j] = (j === y[i] ? 2 : 0) + random.normal() * spread;
  }
  return { x: matrix(x, n, 12), y };
}

const train = blobs(400, 1);
const validation = blobs(200, 2);
const test = blobs(200, 3);

function softmax(seed: number, epochs = 20): SoftmaxRegression {
  return new SoftmaxRegression({ epochs, seed, batchSize: 64 });
}

describe("VotingClassifier", () => {
  it("soft voting gives the mean of the members' probabilities", async () => {
    const members = [
      { name: "a", model: softmax(0) },
      { name: "b", model: softmax(1, 5) },
      { name: "knn", model: new KNeighborsClassifier({ k: 7 }) },
    ];
    const ensemble = await new VotingClassifier({ members }).fit(train.x, train.y);
    const each = members.map((m) => m.model.predictProba(test.x));
    const voted = ensemble.predictProba(test.x);
    assert.equal(voted.length, test.x.rows * NUM_CLASSES);
    for (let i = 0; i < voted.length; i++) {
      const mean = (each[0][i] + each[1][i] + each[2][i]) / 3;
      assert.ok(Math.abs(voted[i] - mean) < 1e-6, `value ${i}: ${voted[i]} vs mean ${mean}`);
    }
    // Members disagree somewhere, so the check above is not a single model's output passed through.
    const disagree = each[0].some((p, i) => Math.abs(p - each[2][i]) > 0.1);
    assert.ok(disagree);
    assert.ok(ensemble.score(test.x, test.y) > 0.8);
  });

  it("chooses weights on the validation split: a useless member gets almost none", async () => {
    const shuffled = { x: train.x, y: new Random(9).shuffle([...train.y]) };
    const noise = softmax(2);
    await noise.fit(shuffled.x, Uint8Array.from(shuffled.y));
    const good = await softmax(3).fit(train.x, train.y);
    const members = [
      { name: "good", model: good },
      { name: "noise", model: noise },
    ];
    const ensemble = new VotingClassifier({ members, weights: "validation", prefit: true });
    await assert.rejects(ensemble.fit(train.x, train.y), /needs fit\(x, y, \{ validation \}\)/);
    await ensemble.fit(train.x, train.y, { validation });
    const [wGood, wNoise] = ensemble.fittedWeights!;
    assert.ok(wGood > 0.85 && wNoise < 0.15, `weights ${wGood}, ${wNoise}`);
    assert.ok(Math.abs(wGood + wNoise - 1) < 1e-12);
    assert.ok(ensemble.weightSearch!.logLoss < ensemble.weightSearch!.uniformLogLoss);
    // Weights come from the validation data: other validation data gives other weights.
    const other = new VotingClassifier({ members, weights: "validation", prefit: true });
    await other.fit(train.x, train.y, { validation: blobs(200, 7, 2.5) });
    assert.notDeepEqual(other.fittedWeights, ensemble.fittedWeights);
  });

  it("fixed weights are normalised, and bad weights and members are refused with clear errors", async () => {
    const a = await softmax(0, 3).fit(train.x, train.y);
    const b = await softmax(1, 3).fit(train.x, train.y);
    const members = [
      { name: "a", model: a },
      { name: "b", model: b },
    ];
    const fixed = await new VotingClassifier({ members, weights: [3, 1], prefit: true }).fit(
      train.x,
      train.y,
    );
    assert.deepEqual(fixed.fittedWeights, [0.75, 0.25]);
    const pa = a.predictProba(test.x);
    const pb = b.predictProba(test.x);
    const p = fixed.predictProba(test.x);
    for (let i = 0; i < p.length; i += 37) assert.ok(Math.abs(p[i] - (0.75 * pa[i] + 0.25 * pb[i])) < 1e-6);
    assert.throws(
      () => new VotingClassifier({ members, weights: [1] }),
      /one number per member \(2\), got 1/,
    );
    assert.throws(() => new VotingClassifier({ members, weights: [1, -1] }), /non-negative/);
    assert.throws(() => new VotingClassifier({ members: [] }), /non-empty/);
    assert.throws(
      () => new VotingClassifier({ members: [members[0], members[0]] }),
      /two members are named "a"/,
    );
    assert.throws(
      () => new VotingClassifier({ members, weigths: "uniform" } as never),
      /did you mean "weights"/,
    );
    assert.throws(() => new VotingClassifier({ members }).predict(test.x), /predict\w* called before fit/);
  });

  it("getParams names members' parameters, clone gives unfitted copies, setParams reaches members", () => {
    const ensemble = new VotingClassifier({ members: [{ name: "a", model: softmax(0, 3) }] });
    const params = ensemble.getParams();
    assert.equal(params.weights, "uniform");
    assert.equal(params["a.epochs"], 3);
    ensemble.setParams({ "a.epochs": 4, weights: [1] });
    assert.equal(ensemble.getParams()["a.epochs"], 4);
    const copy = ensemble.clone();
    assert.notEqual(copy.members[0].model, ensemble.members[0].model);
    assert.deepEqual(copy.getParams(), ensemble.getParams());
    assert.throws(() => ensemble.setParams({ "z.epochs": 1 }), /unknown parameter "z.epochs"/);
  });
});

describe("chooseVotingWeights", () => {
  it("finds the minimum of the validation log-loss (checked against a fine grid)", () => {
    const random = new Random(4);
    const n = 300;
    const y = Uint8Array.from({ length: n }, (_, i) => i % NUM_CLASSES);
    const member = (sharpness: number) => {
      const p = new Float32Array(n * NUM_CLASSES);
      for (let i = 0; i < n; i++) {
        let total = 0;
        for (let c = 0; c < NUM_CLASSES; c++) {
          const logit = (c === y[i] ? sharpness : 0) + 2 * random.normal();
          p[i * NUM_CLASSES + c] = Math.exp(logit);
          total += p[i * NUM_CLASSES + c];
        }
        for (let c = 0; c < NUM_CLASSES; c++) p[i * NUM_CLASSES + c] /= total;
      }
      return p;
    };
    const probabilities = [member(3), member(2)];
    const { weights, logLoss, uniformLogLoss } = chooseVotingWeights(probabilities, y);
    const lossAt = (w: number) => {
      let total = 0;
      for (let i = 0; i < n; i++) {
        const k = i * NUM_CLASSES + y[i];
        total -= Math.log(w * probabilities[0][k] + (1 - w) * probabilities[1][k]);
      }
      return total / n;
    };
    let best = 0;
    for (let w = 0; w <= 1; w += 0.001) if (lossAt(w) < lossAt(best)) best = w;
    assert.ok(best > 0.05 && best < 0.95, `the optimum must be inside for this check, got ${best}`);
    assert.ok(Math.abs(weights[0] - best) < 0.01, `weights ${weights}, grid optimum ${best}`);
    assert.ok(Math.abs(logLoss - lossAt(best)) < 1e-4);
    assert.ok(Math.abs(uniformLogLoss - lossAt(0.5)) < 1e-9);
  });

  it("refuses mismatched probabilities", () => {
    const y = new Uint8Array([0, 1]);
    assert.throws(() => chooseVotingWeights([], y), /at least one member/);
    assert.throws(() => chooseVotingWeights([new Float32Array(10)], y), /member 0 has 10 probabilities/);
  });
});

describe("ensemble manifest", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "ensemble-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function savedEnsemble() {
    const a = await softmax(0, 5).fit(train.x, train.y);
    const b = await softmax(1, 8).fit(train.x, train.y);
    const ensemble = await new VotingClassifier({
      members: [
        { name: "a", model: a },
        { name: "b", model: b },
      ],
      weights: "validation",
      prefit: true,
    }).fit(train.x, train.y, { validation });
    // The members as a store keeps them: weights serialised to JSON text.
    const stored = { a: JSON.stringify(a.saveWeights()), b: JSON.stringify(b.saveWeights()) };
    saveEnsembleManifest(ensemble, dir, { a: "2026-01-01T00:00:00Z", b: "2026-01-02T00:00:00Z" });
    return { ensemble, stored };
  }

  const loaderFor =
    (stored: Record<string, string>, dates: Record<string, string>) => async (name: string) => {
      if (!(name in stored)) throw new Error(`models/${name}: no such model`);
      const model = new SoftmaxRegression().loadWeights(JSON.parse(stored[name]));
      return { model, card: { date: dates[name] } };
    };

  it("load gives identical predictions, bit for bit", async () => {
    const { ensemble, stored } = await savedEnsemble();
    const dates = { a: "2026-01-01T00:00:00Z", b: "2026-01-02T00:00:00Z" };
    const loaded = await loadEnsemble(dir, loaderFor(stored, dates));
    assert.deepEqual(loaded.fittedWeights, ensemble.fittedWeights);
    assert.deepEqual(loaded.predictProba(test.x), ensemble.predictProba(test.x));
    assert.deepEqual(loaded.predict(test.x), ensemble.predict(test.x));
  });

  it("a missing member, a retrained member or a damaged manifest is a clear error naming the file", async () => {
    const { stored } = await savedEnsemble();
    const file = path.join(dir, MANIFEST_FILE);
    const dates = { a: "2026-01-01T00:00:00Z", b: "2026-01-02T00:00:00Z" };
    await assert.rejects(
      loadEnsemble(dir, loaderFor({ a: stored.a }, dates)),
      (err: Error) => err.message.includes(file) && /member "b" cannot be loaded/.test(err.message),
    );
    await assert.rejects(
      loadEnsemble(dir, loaderFor(stored, { ...dates, b: "2026-02-01T00:00:00Z" })),
      /member "b" was trained on 2026-02-01.*train the ensemble again/,
    );
    const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
    manifest.members[1].weight = "NaN";
    fs.writeFileSync(file, JSON.stringify(manifest));
    await assert.rejects(loadEnsemble(dir, loaderFor(stored, dates)), /members\[1\] \(b\): weight must be/);
    fs.writeFileSync(file, "{ cut");
    await assert.rejects(loadEnsemble(dir, loaderFor(stored, dates)), /cannot read the ensemble manifest/);
    fs.rmSync(file);
    await assert.rejects(loadEnsemble(dir, loaderFor(stored, dates)), /ENOENT/);
  });
});

describe("final members", () => {
  it("full mode: augmented CNNs of more than one architecture and seed; quick mode: two small ones", () => {
    const full = finalMemberSpecs();
    assert.deepEqual(
      full.map((s) => s.name),
      FULL_MEMBERS.map(memberName),
    );
    assert.equal(new Set(full.map((s) => s.name)).size, full.length, "member names are unique");
    assert.equal(new Set(full.map((s) => s.seed)).size, full.length, "every member has its own seed");
    assert.ok(new Set(full.map((s) => s.preset)).size >= 2);
    assert.ok(full.every((s) => s.augmentation !== null));
    const quick = finalMemberSpecs({ quick: true });
    assert.equal(quick.length, 2);
    assert.ok(quick.every((s) => s.epochs === 1 && s.preset === "speed"));
  });

  it("a member's name says its preset, its augmentation when not the usual affine one, and its seed", () => {
    assert.equal(
      memberName({ preset: "accuracy", seed: 0, epochs: 6, augmentation: "affine" }),
      "cnn-accuracy-s0",
    );
    assert.equal(
      memberName({ preset: "speed", seed: 3, epochs: 6, augmentation: "elastic" }),
      "cnn-speed-elastic-s3",
    );
    assert.equal(memberName({ preset: "speed", seed: 1, epochs: 1, augmentation: null }), "cnn-speed-s1");
    // The recipe reaches the model's augmentation hook, so the store tells the two members apart.
    const hookOptions = (augmentation: "affine" | "elastic") => {
      const spec = { name: "m", preset: "speed" as const, seed: 0, epochs: 1, source: "test" };
      const cnn = makeMember({ ...spec, augmentation: MEMBER_AUGMENTATIONS[augmentation] });
      return (cnn.augment as unknown as { options: { elastic: unknown; affine: unknown } }).options;
    };
    assert.equal(hookOptions("affine").elastic, null);
    assert.deepEqual(hookOptions("elastic").elastic, { probability: 0.5, alpha: 34, sigma: 4 });
    assert.deepEqual(hookOptions("elastic").affine, hookOptions("affine").affine);
  });

  it("reports/tuned.json's CNN settings apply to members of the tuned preset in the same mode only", () => {
    const preset = FULL_MEMBERS[FULL_MEMBERS.length - 1].preset;
    const tuned = { quick: false, params: { preset, learningRate: 0.002, schedule: "cosine" } };
    const specs = finalMemberSpecs({ tuned });
    const tunedSpecs = specs.filter((s) => s.preset === preset);
    assert.ok(tunedSpecs.length > 0 && tunedSpecs.length < specs.length, "some members of each kind");
    for (const spec of specs) {
      const expected = spec.preset === preset ? 0.002 : undefined;
      assert.equal(spec.learningRate, expected, spec.name);
      assert.equal(spec.schedule, spec.preset === preset ? "cosine" : undefined, spec.name);
    }
    assert.match(tunedSpecs[0].source, /tuned\.json/);
    const cnn = makeMember(tunedSpecs[0]);
    assert.equal(cnn.learningRate, 0.002);
    assert.equal(typeof cnn.augment, "function");
    const quickTuned = finalMemberSpecs({ tuned: { ...tuned, quick: true } });
    assert.ok(quickTuned.every((s) => s.learningRate === undefined));
  });
});
