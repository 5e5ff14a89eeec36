import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  formatMinutes,
  membersTrainingSet,
  saveEnsemble,
  scoreFinalModels,
  type FinalData,
} from "../../lib/ensemble/final";
import { defaultModelName } from "../../lib/ensemble/load";
import { FINAL_MEMBERS, finalMemberSpecs, FULL_MEMBERS, memberName } from "../../lib/ensemble/members";
import { loadStoredEnsemble } from "../../lib/ensemble/stored";
import { checkTier, TIER_ENSEMBLE_NAMES, TIER_TRAINING_DATA } from "../../lib/ensemble/tiers";
import { VotingClassifier } from "../../lib/ensemble/voting";
import { matrix, NUM_CLASSES, type Matrix } from "../../lib/matrix";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { Random } from "../../lib/random";
import { CARD_FILE, type ModelCard } from "../../lib/store/card";
import { dataChecksum, stackedDataChecksum } from "../../lib/store/fit-key";
import { ModelStore } from "../../lib/store/model-store";

/** Ten Gaussian blobs in 12 dimensions, one per class. */
function blobs(n: number, seed: number): { x: Matrix; y: Uint8Array } {
  const random = new Random(seed);
  const x = new Float32Array(n * 12);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % NUM_CLASSES;
    for (let j = 0; j < 12; j++) x[i * 12 + j] = (j === y[i] ? 2 : 0) + random.normal() * 0.6;
  }
  return { x: matrix(x, n, 12), y };
}

describe("ensemble tiers", () => {
  it("the final tier: full-length accuracy CNNs with their own seeds and names, no tuned settings", () => {
    const final = finalMemberSpecs({ tier: "final" });
    assert.deepEqual(
      final.map((s) => s.name),
      FINAL_MEMBERS.map((m) => `final-${memberName(m)}`),
    );
    assert.ok(final.every((s) => s.preset === "accuracy" && s.epochs === 15 && s.augmentation !== null));
    assert.equal(new Set(final.map((s) => s.seed)).size, final.length, "every member has its own seed");
    const report = finalMemberSpecs();
    assert.deepEqual(
      report.map((s) => s.name),
      FULL_MEMBERS.map(memberName),
      "the report tier is the default and keeps its names",
    );
    const shared = final.filter((s) => report.some((r) => r.name === s.name));
    assert.deepEqual(shared, [], "the tiers never share a store folder");
    const tuned = { quick: false, params: { preset: "accuracy", learningRate: 0.002, schedule: "cosine" } };
    assert.ok(finalMemberSpecs({ tier: "final", tuned }).every((s) => s.learningRate === undefined));
    assert.equal(finalMemberSpecs({ tier: "report", tuned })[0].learningRate, 0.002);
  });

  it("quick mode has small members in both tiers, named apart", () => {
    const final = finalMemberSpecs({ tier: "final", quick: true });
    const report = finalMemberSpecs({ tier: "report", quick: true });
    for (const specs of [final, report])
      assert.ok(specs.every((s) => s.epochs === 1 && s.preset === "speed"));
    assert.deepEqual(
      final.map((s) => s.name),
      ["final-cnn-speed-s2", "final-cnn-speed-s3"],
    );
    assert.deepEqual(
      report.map((s) => s.name),
      ["cnn-speed-s0", "cnn-speed-s1"],
    );
  });

  it("an unknown tier is refused with the known ones", () => {
    assert.equal(checkTier("final"), "final");
    assert.throws(() => checkTier("best"), /tier must be one of final, report, got "best"/);
    assert.throws(() => finalMemberSpecs({ tier: 3 as never }), /tier must be one of final, report, got 3/);
  });

  it("formatMinutes reads like an estimate", () => {
    assert.equal(formatMinutes(40.2), "41 s");
    assert.equal(formatMinutes(1368), "23 min");
    assert.equal(formatMinutes(3900), "1 h 05 min");
  });
});

describe("defaultModelName", () => {
  const card = (name: string, implementation: string, validationAccuracy?: number) =>
    ({
      name,
      implementation,
      metrics: validationAccuracy === undefined ? {} : { validationAccuracy },
    }) as unknown as ModelCard;

  it("prefers the final tier's ensemble, then the report's, then any ensemble, then the best single", () => {
    const single = card("cnn-a", "scratch", 0.99);
    const report = card(TIER_ENSEMBLE_NAMES.report, "ensemble");
    const final = card(TIER_ENSEMBLE_NAMES.final, "ensemble");
    const other = card("a-ensemble", "ensemble");
    assert.equal(defaultModelName([other, report, single, final]), "final-ensemble");
    assert.equal(defaultModelName([other, report, single]), "ensemble");
    assert.equal(defaultModelName([single, other]), "a-ensemble");
    assert.equal(defaultModelName([card("cnn-b", "scratch", 0.98), single]), "cnn-a");
    assert.equal(defaultModelName([]), null);
  });
});

describe("loadStoredEnsemble", function () {
  this.timeout(60000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "stored-ensemble-"));
  const data: FinalData = { train: blobs(300, 1), validation: blobs(100, 2), test: blobs(100, 3) };
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  before(async () => {
    const store = new ModelStore({ root, verbose: false });
    const members = [];
    for (const [i, name] of ["final-a", "final-b"].entries()) {
      const make = () => new SoftmaxRegression({ epochs: 5 + i, seed: i, batchSize: 64 });
      const entry = await store.fitOrLoad(name, make, data.train, { fit: { validation: data.validation } });
      members.push({ name, model: entry.model });
    }
    const ensemble = await new VotingClassifier({ members, weights: "validation", prefit: true }).fit(
      data.train.x,
      data.train.y,
      { validation: data.validation },
    );
    saveEnsemble(root, "final-ensemble", ensemble, { validation: data.validation, trainingSeconds: 3 });
  });

  it("loads a saved ensemble and its members without training, with what the notebook shows", async () => {
    const stored = await loadStoredEnsemble(root, "final-ensemble", data);
    assert.ok(stored.final, stored.reason);
    assert.equal(stored.reason, "");
    assert.equal(stored.card?.name, "final-ensemble");
    const { members, ensemble } = stored.final;
    assert.deepEqual(
      members.map((m) => [m.name, m.status, m.dir]),
      [
        ["final-a", "loaded", path.join(root, "final-a")],
        ["final-b", "loaded", path.join(root, "final-b")],
      ],
    );
    assert.match(members[1].description, /6 epochs, seed 1, trained \d{4}-\d\d-\d\d/);
    assert.equal(ensemble.status, "loaded");
    assert.equal(ensemble.trainingSeconds, 3);
    assert.match(ensemble.description, /over final-a, final-b$/);
    const probabilities = ensemble.model.predictProba(data.test.x);
    const byHand = ensemble.model.combine(members.map((m) => m.model.predictProba(data.test.x)));
    assert.deepEqual(probabilities, byHand);
  });

  it("says why when the ensemble is missing or was fitted on other data", async () => {
    const missing = await loadStoredEnsemble(root, "nothing-here", data);
    assert.equal(missing.final, null);
    assert.equal(missing.card, null);
    assert.match(missing.reason, /no "nothing-here" in .*npm run train/);
    const otherValidation = { ...data, validation: blobs(100, 9) };
    const other = await loadStoredEnsemble(root, "final-ensemble", otherValidation);
    assert.match(other.reason, /another validation split or training set/);
    const otherTrain = { ...data, train: blobs(300, 8) };
    const stranger = await loadStoredEnsemble(root, "final-ensemble", otherTrain);
    assert.equal(stranger.final, null);
    assert.match(stranger.reason, /member "final-a" was trained on other data/);
  });

  it("says so when another version of the library trained the ensemble", async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "stored-ensemble-old-"));
    try {
      fs.cpSync(root, copy, { recursive: true });
      const cardFile = path.join(copy, "final-ensemble", CARD_FILE);
      const card = JSON.parse(fs.readFileSync(cardFile, "utf8"));
      fs.writeFileSync(cardFile, JSON.stringify({ ...card, libraryVersion: "0.0.1" }));
      const old = await loadStoredEnsemble(copy, "final-ensemble", data);
      assert.equal(old.final, null);
      assert.match(old.reason, /trained by mnist-notebooks 0\.0\.1, this is .*npm run train/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe("members trained on the validation images too (the final tier's refit)", function () {
  this.timeout(60000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "refit-ensemble-"));
  const data: FinalData = { train: blobs(300, 1), validation: blobs(100, 2), test: blobs(100, 3) };
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("the final tier refits on all the images; the report tier holds validation out", () => {
    assert.deepEqual(TIER_TRAINING_DATA, { final: "all", report: "train" });
    const held = membersTrainingSet(data, "train");
    assert.equal(held.x, data.train.x);
    assert.equal(held.validation, data.validation);
    const all = membersTrainingSet(data, "all");
    assert.equal(all.validation, undefined);
    assert.equal(all.x.rows, 400);
    assert.deepEqual(all.x.data.subarray(0, 3600), data.train.x.data);
    assert.deepEqual(all.x.data.subarray(3600), data.validation.x.data);
    assert.deepEqual(Array.from(all.y.subarray(300)), Array.from(data.validation.y));
    assert.equal(membersTrainingSet(data, "all"), all, "stacked once per data set");
  });

  it("stackedDataChecksum is the stacked copy's dataChecksum, and differs with the order", () => {
    const all = membersTrainingSet(data, "all");
    assert.equal(stackedDataChecksum([data.train, data.validation]), dataChecksum(all.x, all.y));
    assert.notEqual(stackedDataChecksum([data.validation, data.train]), dataChecksum(all.x, all.y));
    assert.notEqual(dataChecksum(all.x, all.y), dataChecksum(data.train.x, data.train.y, data.validation));
  });

  it("saves an equal-weight ensemble that loads as trained on all, scored without validation", async () => {
    const store = new ModelStore({ root, verbose: false });
    const { validation, ...images } = membersTrainingSet(data, "all");
    assert.equal(validation, undefined);
    const members = [];
    for (const [i, name] of ["final-a", "final-b"].entries()) {
      const make = () => new SoftmaxRegression({ epochs: 40 + i, seed: i, batchSize: 64 });
      const entry = await store.fitOrLoad(name, make, images);
      members.push({ name, model: entry.model });
    }
    const ensemble = await new VotingClassifier({ members, weights: "uniform", prefit: true }).fit(
      images.x,
      images.y,
    );
    saveEnsemble(root, "final-ensemble", ensemble, { trainingSet: images, trainingSeconds: 2 });
    const stored = await loadStoredEnsemble(root, "final-ensemble", data);
    assert.ok(stored.final, stored.reason);
    assert.equal(stored.final.trainedOn, "all");
    assert.deepEqual(stored.final.ensemble.model.fittedWeights, [0.5, 0.5]);
    const scores = scoreFinalModels(stored.final, data);
    assert.deepEqual(
      scores.map((s) => [s.model, s.validationAccuracy, s.trainSamples]),
      [
        ["final-a", undefined, 400],
        ["final-b", undefined, 400],
        ["final-ensemble", undefined, 400],
      ],
    );
    assert.ok(
      scores.every((s) => s.testAccuracy > 0.9),
      "blobs are easy",
    );
    // The same folder does not pass for another run's data.
    const other = await loadStoredEnsemble(root, "final-ensemble", { ...data, validation: blobs(100, 9) });
    assert.equal(other.final, null);
    assert.match(other.reason, /another validation split or training set/);
  });
});
