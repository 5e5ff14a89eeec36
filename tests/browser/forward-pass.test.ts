/**
 * The browser's forward pass and canvas intake, run from the very source text the pages inline
 * (evaluated in a fresh VM context), held equal to the engine's predictProba and to lib/intake (whose
 * compiled modules the page runs: any difference means the shipped modules do not run on their own).
 */
import * as assert from "assert";
import * as vm from "vm";
import { loadMnist } from "../../lib/data/mnist";
import { toMatrix } from "../../lib/data/dataset";
import { matrix } from "../../lib/matrix";
import { CNN_PRESETS, CnnClassifier, MlpClassifier, SoftmaxRegression } from "../../lib/models/scratch";
import type { ScratchNetworkClassifier } from "../../lib/models/scratch";
import { browserNetwork, browserRuntimeSource, canvasWidgetHtml } from "../../lib/browser";
import { libraryModules } from "../../lib/browser/runtime";
import { fitDigitToMnist } from "../../lib/intake";

/* eslint-disable @typescript-eslint/no-explicit-any -- the runtime's functions, as the page sees them */
function runtime(): Record<string, any> {
  const context = vm.createContext({ atob, Float32Array, Float64Array, Uint8Array, Math, JSON, Array });
  vm.runInContext(browserRuntimeSource(), context);
  return context;
}

describe("browser forward pass", function () {
  this.timeout(120_000);
  const { train, test } = loadMnist({ trainLimit: 256, testLimit: 20 });
  const x = toMatrix(train);
  const xTest = toMatrix(test);
  const page = runtime();

  function assertSameProbabilities(model: ScratchNetworkClassifier): void {
    const expected = model.predictProba(xTest);
    const network = page.prepareNetwork(JSON.parse(JSON.stringify(browserNetwork(model.saveWeights()))));
    let worst = 0;
    for (let r = 0; r < xTest.rows; r++) {
      const { probabilities, digit } = page.classify(network, xTest.data.subarray(r * 784, (r + 1) * 784));
      for (let c = 0; c < 10; c++) worst = Math.max(worst, Math.abs(probabilities[c] - expected[r * 10 + c]));
      assert.strictEqual(
        digit,
        model.predict(matrix(xTest.data.subarray(r * 784, (r + 1) * 784), 1, 784))[0],
      );
    }
    assert.ok(worst < 1e-5, `${model.name}: largest probability difference ${worst}`);
  }

  for (const preset of CNN_PRESETS) {
    it(`gives the engine's probabilities for the ${preset} CNN preset`, async () => {
      const model = await new CnnClassifier({ preset, epochs: 1, batchSize: 64, seed: 3 }).fit(
        x,
        train.labels,
      );
      assertSameProbabilities(model);
    });
  }

  it("gives the engine's probabilities for an MLP, with and without batch-norm, and softmax regression", async () => {
    assertSameProbabilities(
      await new MlpClassifier({ epochs: 1, hiddenSizes: [64, 32] }).fit(x, train.labels),
    );
    const normalised = new MlpClassifier({ epochs: 1, hiddenSizes: [48], batchNorm: true, dropout: 0.3 });
    assertSameProbabilities(await normalised.fit(x, train.labels));
    assertSameProbabilities(await new SoftmaxRegression({ epochs: 1 }).fit(x, train.labels));
  });

  it("refuses damaged or foreign weights with the loader's message", async () => {
    const model = await new MlpClassifier({ epochs: 1, hiddenSizes: [16] }).fit(x, train.labels);
    const saved = model.saveWeights();
    const damaged = {
      ...saved,
      arrays: saved.arrays.map((a, i) => (i === 0 ? { ...a, sha256: "0".repeat(64) } : a)),
    };
    assert.throws(() => browserNetwork(damaged), /SHA-256/);
    assert.throws(() => browserNetwork({ ...saved, model: "KnnClassifier" }), /cannot run in the browser/);
    assert.throws(() => canvasWidgetHtml(saved, { size: 0 }), /size/);
  });
});

describe("browser canvas intake", () => {
  const page = runtime();

  /** A width × height ink image with a thick stroke: a slanted bar and a blob, anti-aliased edges. */
  function drawing(width: number, height: number): Float32Array {
    const ink = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bar = Math.abs(x - (0.3 * width + 0.3 * y)) - width / 20;
        const blob = Math.hypot(x - 0.7 * width, y - 0.3 * height) - width / 10;
        const distance = Math.min(bar, blob);
        ink[y * width + x] =
          y > 0.15 * height && y < 0.85 * height ? Math.min(1, Math.max(0, 0.5 - distance)) : 0;
      }
    }
    return ink;
  }

  it("gives lib/intake's 28×28 image for the same drawing", () => {
    for (const [width, height] of [
      [280, 280],
      [200, 120],
      [97, 301],
    ]) {
      const ink = drawing(width, height);
      const expected = fitDigitToMnist({ width, height, data: ink });
      const actual = page.mnistFromInk(ink, width, height);
      assert.deepStrictEqual(Array.from(actual), Array.from(expected), `${width}×${height}`);
      assert.ok(expected.reduce((a: number, b: number) => a + b) > 20, "the drawing has ink");
    }
  });

  it("ships lib/intake's modules with what they require, and refuses a module that needs a package", () => {
    const modules = libraryModules("browser/canvas-intake");
    for (const name of [
      "intake/mnist-recipe",
      "intake/resize",
      "preprocessing/deskew",
      "preprocessing/warp",
    ]) {
      assert.ok(modules.has(name), name);
    }
    assert.match(modules.get("browser/canvas-intake")!, /require\("intake\/mnist-recipe"\)/);
    assert.throws(() => libraryModules("intake/decode"), /intake\/decode\.js requires "pngjs"/);
  });

  it("reads white ink on black from RGBA and finds no digit on a blank canvas", () => {
    const rgba = new Uint8ClampedArray(4 * 4 * 4);
    rgba.set([255, 255, 255, 255], 4 * 5);
    const ink = page.inkFromRgba(rgba, 4, 4);
    assert.strictEqual(ink[5], 1);
    assert.strictEqual(ink[4], 0);
    assert.strictEqual(page.mnistFromInk(new Float32Array(100), 10, 10), null);
  });
});
