/**
 * The options every model trained by epochs shares (lib/models/epoch-trained.ts): each family (scratch
 * network, linear SVM, TensorFlow.js) fills in its own defaults and refuses the same bad values with
 * the same message, naming its class.
 */
import * as assert from "assert";
import { MlpClassifier } from "../../lib/models/scratch";
import { LinearSvmClassifier } from "../../lib/models/svm/linear-svm";
import { TfMlpClassifier } from "../../lib/models/tfjs/mlp";
import type { EpochOptions } from "../../lib/models/epoch-trained";

const FAMILIES: Array<[string, (options: EpochOptions) => EpochOptions]> = [
  ["MlpClassifier", (options) => new MlpClassifier(options)],
  ["LinearSvmClassifier", (options) => new LinearSvmClassifier(options)],
  ["TfMlpClassifier", (options) => new TfMlpClassifier(options)],
];

describe("models trained by epochs: shared options", () => {
  for (const [name, make] of FAMILIES) {
    it(`${name} keeps the options given and refuses bad ones, naming itself`, () => {
      const model = make({ epochs: 3, batchSize: 32, learningRate: 0.05, seed: 7 });
      assert.deepStrictEqual(
        [model.epochs, model.batchSize, model.learningRate, model.seed],
        [3, 32, 0.05, 7],
      );
      assert.strictEqual(make({}).seed, 0);
      assert.throws(() => make({ epochs: 1.5 }), new RegExp(`${name}: epochs must be a positive integer`));
      assert.throws(
        () => make({ batchSize: 0 }),
        new RegExp(`${name}: batchSize must be a positive integer`),
      );
      assert.throws(() => make({ learningRate: Infinity }), new RegExp(`${name}: learningRate`));
      assert.throws(() => make({ seed: 1.9 }), new RegExp(`${name}: seed`));
    });
  }

  it("fills in each family's own defaults", () => {
    const svm = new LinearSvmClassifier();
    assert.deepStrictEqual([svm.epochs, svm.batchSize, svm.learningRate], [10, 256, 0.1]);
    const getParams = new MlpClassifier({ epochs: 4 }).getParams() as EpochOptions;
    assert.strictEqual(getParams.epochs, 4);
  });
});
