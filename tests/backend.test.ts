import { strict as assert } from "assert";
import { assertCanTrainConv, describeBackend, getTf, initBackend } from "../lib/backend";

describe("TensorFlow.js backend selection", () => {
  it("activates the best available backend and explains the choice", async () => {
    const info = await initBackend();
    let nativeInstalled = true;
    try {
      require.resolve("@tensorflow/tfjs-node");
    } catch {
      nativeInstalled = false;
    }
    if (nativeInstalled) assert.equal(info.name, "tensorflow");
    else {
      assert.equal(info.name, "wasm");
      assert.match(info.reason, /@tensorflow\/tfjs-node is not installed/);
    }
    assert.equal(getTf().getBackend(), info.name);
    assert.match(describeBackend(info), new RegExp(`backend: ${info.name}`));
    const product = getTf().matMul(getTf().tensor2d([[1, 2]]), getTf().tensor2d([[3], [4]])).dataSync();
    assert.equal(product[0], 11);
  });

  it("says clearly when conv training is impractical instead of hanging", () => {
    for (const name of ["wasm", "cpu"] as const) {
      assert.throws(() => assertCanTrainConv({ name, reason: "test", canTrainConv: false }), /impractical on the '(wasm|cpu)' backend[\s\S]*tfjs-node[\s\S]*CnnClassifier/);
    }
    assert.doesNotThrow(() => assertCanTrainConv({ name: "tensorflow", reason: "test", canTrainConv: true }));
  });
});
