import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { getKernels } from "../../lib/kernels";
import { Random } from "../../lib/random";
import {
  WASM_KERNEL_NAMES, registerWasmKernels, registeredWasmKernels, unregisterWasmKernels, wasmKernelCalls,
} from "../../lib/tfjs-kernels";
import { MIN_MULTIPLY_ADDS } from "../../lib/tfjs-kernels/matmul";

type Attrs = Record<string, unknown>;

/** Runs `body` on `backend` with inputs made there from plain arrays; returns the result's values. */
async function on(backend: "cpu" | "wasm", body: () => tf.Tensor | tf.TensorInfo): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const result = body();
    return Float32Array.from((result instanceof tf.Tensor ? result : tf.engine().makeTensorFromTensorInfo(result)).dataSync());
  });
}

function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: Attrs): tf.TensorInfo {
  return tf.engine().runKernel(name, inputs, attrs as never) as tf.TensorInfo;
}

/** Largest |a − b| / (1 + |b|). */
function maxRelativeError(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length, "lengths");
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return Number.isNaN(worst) ? Infinity : worst;
}

function randomValues(random: Random, length: number): Float32Array {
  return Float32Array.from({ length }, () => random.next() * 2 - 1);
}

/** A random conv geometry: odd sizes, batch 1 or odd, stride 1 or 2, same or valid. */
function randomConv(random: Random, index: number) {
  const stride = 1 + (index % 2);
  const pad = (["same", "valid"] as const)[Math.floor(index / 2) % 2];
  const batch = [1, 3, 5][index % 3];
  const kernel = [1, 2, 3, 5][random.int(4)];
  const height = kernel + 1 + random.int(9);
  const width = kernel + 2 + random.int(8);
  const channels = 1 + random.int(4);
  const filters = 1 + random.int(9);
  return { stride, pad, batch, kernel, height, width, channels, filters };
}

const TOLERANCE = 2e-5;

describe("our kernels registered into the tfjs wasm backend", function () {
  this.timeout(120000);
  let previous: string;

  before(async () => {
    previous = tf.getBackend();
    await tf.setBackend("wasm");
    assert.equal(tf.getKernel("Conv2DBackpropFilter", "wasm"), undefined, "tfjs-wasm 4.22 has no Conv2DBackpropFilter");
    registerWasmKernels({ kernels: getKernels({ threads: 2 }) });
  });

  after(async () => {
    unregisterWasmKernels();
    if (previous) await tf.setBackend(previous);
  });

  it("registers every kernel once and puts the wasm backend's own back on unregister", () => {
    assert.deepEqual(registeredWasmKernels(), [...WASM_KERNEL_NAMES]);
    for (const name of WASM_KERNEL_NAMES) assert.ok(tf.getKernel(name, "wasm"), name);
    unregisterWasmKernels();
    assert.equal(tf.getKernel("Conv2DBackpropFilter", "wasm"), undefined);
    assert.ok(tf.getKernel("Conv2D", "wasm"), "the wasm backend's own Conv2D is back");
    assert.deepEqual(registeredWasmKernels(), []);
    registerWasmKernels({ kernels: getKernels({ threads: 2 }) });
    assert.throws(() => registerWasmKernels({ names: ["Conv3D" as never] }), /unknown kernel 'Conv3D'/);
  });

  it("Conv2D, FusedConv2D (bias + ReLU) and both conv gradients equal the cpu backend on random shapes", async () => {
    const random = new Random(14);
    for (let index = 0; index < 12; index++) {
      const g = randomConv(random, index);
      const xShape = [g.batch, g.height, g.width, g.channels] as [number, number, number, number];
      const filterShape = [g.kernel, g.kernel, g.channels, g.filters] as [number, number, number, number];
      const x = randomValues(random, xShape.reduce((p, s) => p * s));
      const filter = randomValues(random, filterShape.reduce((p, s) => p * s));
      const bias = randomValues(random, g.filters);
      const what = JSON.stringify(g);
      const conv = () => tf.conv2d(tf.tensor4d(x, xShape), tf.tensor4d(filter, filterShape), g.stride, g.pad);
      const [cpuConv, wasmConv] = [await on("cpu", conv), await on("wasm", conv)];
      assert.ok(maxRelativeError(wasmConv, cpuConv) < TOLERANCE, `Conv2D ${what}`);
      const fused = () =>
        tf.fused.conv2d({
          x: tf.tensor4d(x, xShape), filter: tf.tensor4d(filter, filterShape), strides: g.stride, pad: g.pad,
          bias: tf.tensor1d(bias), activation: "relu",
        });
      const [cpuFused, wasmFused] = [await on("cpu", fused), await on("wasm", fused)];
      assert.ok(maxRelativeError(wasmFused, cpuFused) < TOLERANCE, `FusedConv2D ${what}`);
      assert.ok(wasmFused.some((v) => v === 0) || wasmFused.length < 4, "the ReLU clipped something");

      const outShape = [g.batch, cpuConv.length / (g.batch * g.filters) / 1, g.filters];
      const dy = randomValues(random, cpuConv.length);
      await tf.setBackend("cpu");
      const dyShape = tf.tidy(() => conv().shape) as [number, number, number, number];
      assert.equal(dyShape[0] * dyShape[1] * dyShape[2] * dyShape[3], outShape[0] * outShape[1] * outShape[2]);
      const attrs = { strides: g.stride, pad: g.pad, dataFormat: "NHWC", dimRoundingMode: undefined };
      const filterGradient = () =>
        runKernel("Conv2DBackpropFilter", { x: tf.tensor4d(x, xShape), dy: tf.tensor4d(dy, dyShape) }, { ...attrs, filterShape });
      const [cpuDw, wasmDw] = [await on("cpu", filterGradient), await on("wasm", filterGradient)];
      assert.ok(maxRelativeError(wasmDw, cpuDw) < TOLERANCE, `Conv2DBackpropFilter ${what}`);
      const inputGradient = () =>
        runKernel("Conv2DBackpropInput", { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(filter, filterShape) }, { ...attrs, inputShape: xShape });
      const [cpuDx, wasmDx] = [await on("cpu", inputGradient), await on("wasm", inputGradient)];
      assert.ok(maxRelativeError(wasmDx, cpuDx) < TOLERANCE, `Conv2DBackpropInput ${what}`);
    }
    const calls = wasmKernelCalls();
    for (const name of ["Conv2D", "FusedConv2D", "Conv2DBackpropFilter", "Conv2DBackpropInput"]) {
      assert.equal(calls[name]?.ours, 12, `${name} computed by ours every time: ${JSON.stringify(calls[name])}`);
    }
  });

  it("BatchMatMul and _FusedMatMul equal the cpu backend, transposed, batched, broadcast, small and large", async () => {
    const random = new Random(15);
    const before = wasmKernelCalls();
    const cases = [
      { batchA: 1, batchB: 1, m: 64, n: 100, k: 70, transposeA: false, transposeB: false },
      { batchA: 1, batchB: 1, m: 33, n: 129, k: 97, transposeA: true, transposeB: false },
      { batchA: 3, batchB: 3, m: 41, n: 67, k: 101, transposeA: false, transposeB: true },
      { batchA: 2, batchB: 1, m: 65, n: 63, k: 90, transposeA: true, transposeB: true },
      { batchA: 1, batchB: 1, m: 5, n: 7, k: 3, transposeA: false, transposeB: false },
    ];
    for (const c of cases) {
      const aShape = [c.batchA, c.transposeA ? c.k : c.m, c.transposeA ? c.m : c.k] as [number, number, number];
      const bShape = [c.batchB, c.transposeB ? c.n : c.k, c.transposeB ? c.k : c.n] as [number, number, number];
      const a = randomValues(random, aShape[0] * aShape[1] * aShape[2]);
      const b = randomValues(random, bShape[0] * bShape[1] * bShape[2]);
      const bias = randomValues(random, c.n);
      const plain = () => tf.matMul(tf.tensor3d(a, aShape), tf.tensor3d(b, bShape), c.transposeA, c.transposeB);
      assert.ok(maxRelativeError(await on("wasm", plain), await on("cpu", plain)) < TOLERANCE, `BatchMatMul ${JSON.stringify(c)}`);
      const fused = () =>
        tf.fused.matMul({
          a: tf.tensor3d(a, aShape), b: tf.tensor3d(b, bShape), transposeA: c.transposeA, transposeB: c.transposeB,
          bias: tf.tensor1d(bias), activation: "relu",
        });
      assert.ok(maxRelativeError(await on("wasm", fused), await on("cpu", fused)) < TOLERANCE, `_FusedMatMul ${JSON.stringify(c)}`);
    }
    // tfjs's plain matMul hands BatchMatMul rank-2 tensors (and the output must stay rank 2).
    const [a2, b2] = [randomValues(random, 70 * 90), randomValues(random, 90 * 80)];
    const rank2 = () => tf.matMul(tf.tensor2d(a2, [70, 90]), tf.tensor2d(b2, [90, 80]));
    assert.ok(maxRelativeError(await on("wasm", rank2), await on("cpu", rank2)) < TOLERANCE, "rank-2 BatchMatMul");
    assert.deepEqual(tf.tidy(() => rank2().shape), [70, 80]); // (on cpu, the last backend used)
    const after = wasmKernelCalls();
    const large = cases.filter((c) => c.m * c.n * c.k >= MIN_MULTIPLY_ADDS).length;
    assert.ok(large >= 3);
    for (const name of ["BatchMatMul", "_FusedMatMul"]) {
      const rank2Calls = name === "BatchMatMul" ? 1 : 0;
      assert.equal(after[name].ours - (before[name]?.ours ?? 0), large + rank2Calls, `${name} computed the large products`);
      assert.equal(after[name].delegated - (before[name]?.delegated ?? 0), cases.length - large, `${name} handed on the small ones`);
    }
  });

  it("gives a small conv model's gradients equal to the cpu backend's", async () => {
    const random = new Random(16);
    const xs = randomValues(random, 5 * 12 * 12 * 2);
    const labels = Float32Array.from({ length: 5 * 3 }, (_, i) => (i % 3 === i % 5 % 3 ? 1 : 0));
    const gradients = async (backend: "cpu" | "wasm") => {
      await tf.setBackend(backend);
      tf.util.assert(true, () => "");
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [12, 12, 2], filters: 6, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        ],
      });
      const { grads } = tf.variableGrads(() =>
        tf.losses.softmaxCrossEntropy(tf.tensor2d(labels, [5, 3]), model.apply(tf.tensor4d(xs, [5, 12, 12, 2])) as tf.Tensor) as tf.Scalar,
      );
      const values = model.trainableWeights.map((w) => Float32Array.from(grads[w.originalName].dataSync()));
      tf.dispose(Object.values(grads));
      model.dispose();
      return values;
    };
    const cpu = await gradients("cpu");
    const wasm = await gradients("wasm");
    assert.equal(wasm.length, 6);
    wasm.forEach((g, i) => {
      assert.ok(g.some((v) => v !== 0), `gradient ${i} is not all zeros`);
      assert.ok(maxRelativeError(g, cpu[i]) < 1e-5, `gradient ${i}: ${maxRelativeError(g, cpu[i])}`);
    });
  });

  it("refuses NCHW, dilated gradients, other kernel signatures and overflowing shapes, naming kernel and attribute", async () => {
    await tf.setBackend("wasm");
    const x = tf.ones([2, 6, 6, 3]);
    const dy = tf.ones([2, 4, 4, 4]);
    const filter = tf.ones([3, 3, 3, 4]);
    const attrs = { strides: 1, pad: "valid", dataFormat: "NHWC", dimRoundingMode: undefined, filterShape: [3, 3, 3, 4] };
    assert.throws(() => runKernel("Conv2DBackpropFilter", { x, dy }, { ...attrs, dataFormat: "NCHW" }), /Conv2DBackpropFilter.*dataFormat = 'NCHW' is not supported/);
    assert.throws(() => runKernel("Conv2DBackpropFilter", { x, dy }, { ...attrs, dilations: [2, 2] }), /Conv2DBackpropFilter.*dilations = \[2,2\]/);
    assert.throws(() => runKernel("Conv2DBackpropFilter", { x, dy }, { ...attrs, strides: [1, 2] }), /Conv2DBackpropFilter.*strides = \[1,2\]/);
    assert.throws(() => runKernel("Conv2DBackpropFilter", { x, dy }, { ...attrs, filterShape: undefined }), /Conv2DBackpropFilter.*attribute filterShape.*kernel signature/);
    assert.throws(() => runKernel("Conv2DBackpropInput", { dy, filter }, { ...attrs, inputShape: undefined }), /Conv2DBackpropInput.*attribute inputShape/);
    assert.throws(() => runKernel("Conv2DBackpropFilter", { x, dy: tf.ones([2, 3, 3, 4]) }, attrs), /Conv2DBackpropFilter.*dy shape = \[2,3,3,4\].*\[2,4,4,4\]/);
    assert.throws(() => runKernel("Conv2D", { x, filter }, { ...attrs, dataFormat: "NCHW" }), /Conv2D.*dataFormat = 'NCHW'/);
    // One 1024×1024 image with a 31×31 filter: a 3.8 GB patch matrix, refused before anything is allocated.
    const numTensors = tf.memory().numTensors;
    assert.throws(
      () => runKernel("Conv2D", { x: tf.zeros([1, 1024, 1024, 1]), filter: tf.zeros([31, 31, 1, 1]) }, { strides: 1, pad: "same", dataFormat: "NHWC", dilations: 1 }),
      /Conv2D.*input shape.*\[1, 1024, 1024, 1\].*MiB/,
    );
    assert.equal(tf.memory().numTensors, numTensors + 2, "no output tensor was made");
    tf.disposeVariables();
    // Dilated forward convolutions stay with the wasm backend's own kernel, which computes them.
    const dilated = () => tf.conv2d(tf.tensor4d(Float32Array.from({ length: 2 * 7 * 7 * 3 }, (_, i) => Math.sin(i)), [2, 7, 7, 3]), tf.ones([3, 3, 3, 4]), 1, "valid", "NHWC", 2);
    const [cpu, wasm] = [await on("cpu", dilated), await on("wasm", dilated)];
    assert.ok(maxRelativeError(wasm, cpu) < TOLERANCE);
    assert.ok(wasmKernelCalls().Conv2D.delegated >= 1);
  });
});
