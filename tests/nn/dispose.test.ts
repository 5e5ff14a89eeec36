/** A network hands its kernel memory back on dispose, without waiting for the garbage collector. */
import * as assert from "assert";
import { getKernels } from "../../lib/kernels";
import type { WasmKernels } from "../../lib/kernels/wasm";
import { matrix } from "../../lib/matrix";
import { CnnClassifier } from "../../lib/models/scratch";
import { Conv2D } from "../../lib/nn/layers/conv2d";
import { Dense } from "../../lib/nn/layers/dense";
import { Flatten } from "../../lib/nn/layers/flatten";
import { MaxPool2D } from "../../lib/nn/layers/max-pool";
import { ReLU } from "../../lib/nn/layers/relu";
import { Sequential } from "../../lib/nn/sequential";
import { Random } from "../../lib/random";

describe("disposing networks", () => {
  it("Sequential.dispose frees every array its layers allocated, and the network still ran before", () => {
    const kernels = getKernels({ threads: 1 }) as WasmKernels;
    const before = kernels.usedBytes;
    const layers = [new Conv2D(4), new ReLU(), new MaxPool2D(2), new Flatten(), new Dense(3)];
    const network = new Sequential(layers, [8, 8, 1], { batchCapacity: 16, seed: 1, kernels });
    const built = kernels.usedBytes;
    assert.ok(built - before > 16 * 8 * 8 * 4 * 4, `the network holds ${built - before} bytes`);
    const random = new Random(2);
    const rows = 20;
    const data = Float32Array.from({ length: rows * 64 }, () => random.uniform(0, 1));
    const out = network.predict(data, rows);
    assert.equal(out.length, rows * 3);
    assert.ok(out.every(Number.isFinite));
    network.dispose();
    assert.equal(kernels.usedBytes, before);
    network.dispose();
    assert.equal(kernels.usedBytes, before, "a second dispose frees nothing twice");
  });

  it("a scratch classifier's dispose leaves it unfitted and its memory freed", async () => {
    const kernels = getKernels({ threads: 1 }) as WasmKernels;
    const random = new Random(3);
    const x = matrix(
      Float32Array.from({ length: 64 * 784 }, () => random.uniform(0, 1)),
      64,
      784,
    );
    const y = Uint8Array.from({ length: 64 }, (_, i) => i % 10);
    const before = kernels.usedBytes;
    const cnn = await new CnnClassifier({ preset: "speed", epochs: 1, kernels }).fit(x, y);
    assert.equal(cnn.predict(x).length, 64);
    cnn.dispose();
    // Training's own arrays (optimizer state, gradients of the loss) go when collected; the network's now.
    assert.ok(kernels.usedBytes - before < 4 * 2 ** 20, `${kernels.usedBytes - before} bytes still used`);
    assert.throws(() => cnn.predict(x), /before fit/);
  });
});
