import { strict as assert } from "assert";
import * as fs from "fs";
import { KNeighborsClassifier } from "../../lib/models/neighbors/knn";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { Deskew } from "../../lib/preprocessing/deskew-transformer";
import { PCA } from "../../lib/preprocessing/pca";
import { StandardScaler } from "../../lib/preprocessing/standard-scaler";
import { ModelStore } from "../../lib/store/model-store";
import { Pipeline } from "../../lib/tuning/pipeline";
import { sameBits, smallMnist, tempDir, type Split } from "./helpers";

describe("Pipeline with N steps", function () {
  this.timeout(60000);
  let data: Split;
  before(() => (data = smallMnist(400, 100)));

  const threeSteps = () =>
    new Pipeline({
      steps: [
        ["deskew", new Deskew()],
        ["scale", new StandardScaler()],
        ["pca", new PCA({ nComponents: 15 })],
      ],
      model: ["knn", new KNeighborsClassifier({ k: 3 })],
    });

  it("applies every step in order, as doing them by hand does", async () => {
    const pipeline = await threeSteps().fit(data.train.x, data.train.y);
    const deskew = new Deskew();
    const scale = new StandardScaler();
    const pca = new PCA({ nComponents: 15 });
    const byHand = pca.fitTransform(scale.fitTransform(deskew.fitTransform(data.train.x)));
    const knn = await new KNeighborsClassifier({ k: 3 }).fit(byHand, data.train.y);
    const test = pca.transform(scale.transform(deskew.transform(data.test.x)));
    assert.ok(sameBits(pipeline.predictProba(data.test.x), knn.predictProba(test)));
    assert.equal(pipeline.name, "Deskew → StandardScaler → PCA (15 components) → k-NN (k=3)");
  });

  it('"step.param" names for every step; setParams routes them; clone copies the parameters unfitted', () => {
    const pipeline = threeSteps();
    assert.deepEqual(
      Object.keys(pipeline.getParams()).filter((k) => !k.endsWith("kernels")),
      [
        "scale.minStd",
        "pca.nComponents",
        "knn.k",
        "knn.weights",
        "knn.algorithm",
        "knn.projectionDims",
        "knn.blockRows",
      ],
    );
    pipeline.setParams({ "pca.nComponents": 5, "knn.k": 7 });
    const copy = pipeline.clone();
    assert.equal(copy.getParams()["pca.nComponents"], 5);
    assert.equal(copy.getParams()["knn.k"], 7);
    assert.notEqual(copy.classifier, pipeline.classifier);
    assert.throws(() => pipeline.setParams({ "svm.alpha": 1 }), /unknown parameter "svm.alpha"/);
  });

  it("no transformer at all is a valid pipeline; bad names and steps are refused", async () => {
    const bare = new Pipeline({ steps: [], model: ["softmax", new SoftmaxRegression({ epochs: 1 })] });
    await bare.fit(data.train.x, data.train.y);
    assert.equal(bare.predict(data.test.x).length, data.test.x.rows);
    const knn = new KNeighborsClassifier();
    assert.throws(() => new Pipeline({ steps: [["a", new Deskew()]], model: ["a", knn] }), /different/);
    assert.throws(() => new Pipeline({ steps: [["a.b", new Deskew()]], model: ["c", knn] }), /without dots/);
    assert.throws(
      () => new Pipeline({ steps: [["x", knn as never]], model: ["c", knn] }),
      /step "x" must be a Transformer/,
    );
  });

  it("goes through the store as a whole: trained once, then loaded with the same predictions", async () => {
    const root = tempDir("pipeline");
    try {
      const store = new ModelStore({ root, verbose: false });
      const first = await store.fitOrLoad("deskew-pca-knn", threeSteps, data.train);
      const second = await store.fitOrLoad("deskew-pca-knn", threeSteps, data.train);
      assert.deepEqual([first.status, second.status], ["trained", "loaded"]);
      assert.ok(sameBits(first.model.predictProba(data.test.x), second.model.predictProba(data.test.x)));
      const loaded = await store.load("deskew-pca-knn");
      assert.ok(loaded.model instanceof Pipeline);
      assert.ok(sameBits(first.model.predictProba(data.test.x), loaded.model.predictProba(data.test.x)));
      assert.equal(loaded.card.kind, "Pipeline");
      assert.equal(loaded.card.implementation, "classic");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
