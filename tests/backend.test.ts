import { strict as assert } from "assert";
import {
  activeBackend,
  assertCanTrainConv,
  describeBackend,
  getTf,
  initBackend,
  stopUsingOurWasmKernels,
  useOurWasmKernels,
} from "../lib/backend";

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
    const product = getTf()
      .matMul(getTf().tensor2d([[1, 2]]), getTf().tensor2d([[3], [4]]))
      .dataSync();
    assert.equal(product[0], 11);
  });

  it("says clearly when conv training is impractical instead of hanging", () => {
    for (const name of ["wasm", "cpu"] as const) {
      assert.throws(
        () => assertCanTrainConv({ name, reason: "test", canTrainConv: false }),
        /impractical on the '(wasm|cpu)' backend[\s\S]*tfjs-node[\s\S]*CnnClassifier/,
      );
    }
    assert.doesNotThrow(() => assertCanTrainConv({ name: "tensorflow", reason: "test", canTrainConv: true }));
  });

  it("names our kernels in the backend line, and registers them on wasm only", async () => {
    const line = describeBackend({
      name: "wasm",
      reason: "test",
      canTrainConv: true,
      ourKernels: ["Conv2DBackpropFilter", "Conv2D"],
    });
    assert.match(
      line,
      /backend: wasm — test; our threaded kernels: Conv2DBackpropFilter, Conv2D; can train CNNs\./,
    );
    const previous = activeBackend();
    try {
      const cpu = await initBackend("cpu");
      assert.deepEqual(useOurWasmKernels(), cpu, "nothing changes off wasm (tfjs-node stays as it is too)");
      assert.equal(getTf().getKernel("Conv2DBackpropFilter", "wasm"), undefined);
      const wasm = await initBackend("wasm");
      assert.equal(wasm.canTrainConv, false);
      const ours = useOurWasmKernels();
      assert.equal(ours.canTrainConv, true);
      assert.ok(ours.ourKernels?.includes("Conv2DBackpropFilter"));
      assert.ok(getTf().getKernel("Conv2DBackpropFilter", "wasm"));
      assert.equal(stopUsingOurWasmKernels()?.canTrainConv, false);
    } finally {
      stopUsingOurWasmKernels();
      if (previous) await initBackend(previous.name);
    }
  });
});
