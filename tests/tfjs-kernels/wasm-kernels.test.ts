import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {
  activeBackend,
  assertCanTrainConv,
  describeBackend,
  initBackend,
  stopUsingOurWasmKernels,
  useOurWasmKernels,
} from "../../lib/backend";
import { toMatrix } from "../../lib/data/dataset";
import { loadMnist } from "../../lib/data/mnist";
import { getKernels } from "../../lib/kernels";
import { matrix } from "../../lib/matrix";
import { TfCnnClassifier } from "../../lib/models/tfjs/cnn";
import { Random } from "../../lib/random";
import {
  WASM_KERNEL_NAMES,
  checkTfjsVersion,
  maxPoolArgmaxReuse,
  registerWasmKernels,
  registeredWasmKernels,
  unregisterWasmKernels,
  wasmKernelCalls,
} from "../../lib/tfjs-kernels";
import { MIN_MULTIPLY_ADDS } from "../../lib/tfjs-kernels/matmul";

type Attrs = Record<string, unknown>;

/** Runs `body` on `backend` with inputs made there from plain arrays; returns the result's values. */
async function on(backend: "cpu" | "wasm", body: () => tf.Tensor | tf.TensorInfo): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const result = body();
    return Float32Array.from(
      (result instanceof tf.Tensor ? result : tf.engine().makeTensorFromTensorInfo(result)).dataSync(),
    );
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
    assert.equal(
      tf.getKernel("Conv2DBackpropFilter", "wasm"),
      undefined,
      "tfjs-wasm 4.22 has no Conv2DBackpropFilter",
    );
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

  it("Conv2D, FusedConv2D (bias + ReLU) and both conv gradients (dense and sparse dy) equal the cpu backend on random shapes", async () => {
    const random = new Random(14);
    const count = 13;
    for (let index = 0; index < count; index++) {
      // The last has patch rows long enough (3·3·8) for the sparse filter gradient.
      const g =
        index < count - 1
          ? randomConv(random, index)
          : { ...randomConv(random, index), kernel: 3, channels: 8, height: 9, width: 11 };
      const xShape = [g.batch, g.height, g.width, g.channels] as [number, number, number, number];
      const filterShape = [g.kernel, g.kernel, g.channels, g.filters] as [number, number, number, number];
      const x = randomValues(
        random,
        xShape.reduce((p, s) => p * s),
      );
      const filter = randomValues(
        random,
        filterShape.reduce((p, s) => p * s),
      );
      const bias = randomValues(random, g.filters);
      const what = JSON.stringify(g);
      const conv = () => tf.conv2d(tf.tensor4d(x, xShape), tf.tensor4d(filter, filterShape), g.stride, g.pad);
      const [cpuConv, wasmConv] = [await on("cpu", conv), await on("wasm", conv)];
      assert.ok(maxRelativeError(wasmConv, cpuConv) < TOLERANCE, `Conv2D ${what}`);
      const fused = () =>
        tf.fused.conv2d({
          x: tf.tensor4d(x, xShape),
          filter: tf.tensor4d(filter, filterShape),
          strides: g.stride,
          pad: g.pad,
          bias: tf.tensor1d(bias),
          activation: "relu",
        });
      const [cpuFused, wasmFused] = [await on("cpu", fused), await on("wasm", fused)];
      assert.ok(maxRelativeError(wasmFused, cpuFused) < TOLERANCE, `FusedConv2D ${what}`);
      assert.ok(wasmFused.some((v) => v === 0) || wasmFused.length < 4, "the ReLU clipped something");

      const outShape = [g.batch, cpuConv.length / (g.batch * g.filters) / 1, g.filters];
      // Odd cases and the last get a dy that is 80% zeros, as behind a max-pool: the sparse gradients' path.
      const sparse = index % 2 === 1 || index === count - 1;
      const dy = randomValues(random, cpuConv.length).map((v) => (!sparse || random.next() < 0.2 ? v : 0));
      await tf.setBackend("cpu");
      const dyShape = tf.tidy(() => conv().shape) as [number, number, number, number];
      assert.equal(
        dyShape[0] * dyShape[1] * dyShape[2] * dyShape[3],
        outShape[0] * outShape[1] * outShape[2],
      );
      const attrs = { strides: g.stride, pad: g.pad, dataFormat: "NHWC", dimRoundingMode: undefined };
      const filterGradient = () =>
        runKernel(
          "Conv2DBackpropFilter",
          { x: tf.tensor4d(x, xShape), dy: tf.tensor4d(dy, dyShape) },
          { ...attrs, filterShape },
        );
      const [cpuDw, wasmDw] = [await on("cpu", filterGradient), await on("wasm", filterGradient)];
      assert.ok(maxRelativeError(wasmDw, cpuDw) < TOLERANCE, `Conv2DBackpropFilter ${what}`);
      const inputGradient = () =>
        runKernel(
          "Conv2DBackpropInput",
          { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(filter, filterShape) },
          { ...attrs, inputShape: xShape },
        );
      const [cpuDx, wasmDx] = [await on("cpu", inputGradient), await on("wasm", inputGradient)];
      assert.ok(maxRelativeError(wasmDx, cpuDx) < TOLERANCE, `Conv2DBackpropInput ${what}`);
    }
    const calls = wasmKernelCalls();
    for (const name of ["Conv2D", "FusedConv2D", "Conv2DBackpropFilter", "Conv2DBackpropInput"]) {
      assert.equal(
        calls[name]?.ours,
        count,
        `${name} computed by ours every time: ${JSON.stringify(calls[name])}`,
      );
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
      const aShape = [c.batchA, c.transposeA ? c.k : c.m, c.transposeA ? c.m : c.k] as [
        number,
        number,
        number,
      ];
      const bShape = [c.batchB, c.transposeB ? c.n : c.k, c.transposeB ? c.k : c.n] as [
        number,
        number,
        number,
      ];
      const a = randomValues(random, aShape[0] * aShape[1] * aShape[2]);
      const b = randomValues(random, bShape[0] * bShape[1] * bShape[2]);
      const bias = randomValues(random, c.n);
      const plain = () =>
        tf.matMul(tf.tensor3d(a, aShape), tf.tensor3d(b, bShape), c.transposeA, c.transposeB);
      assert.ok(
        maxRelativeError(await on("wasm", plain), await on("cpu", plain)) < TOLERANCE,
        `BatchMatMul ${JSON.stringify(c)}`,
      );
      const fused = () =>
        tf.fused.matMul({
          a: tf.tensor3d(a, aShape),
          b: tf.tensor3d(b, bShape),
          transposeA: c.transposeA,
          transposeB: c.transposeB,
          bias: tf.tensor1d(bias),
          activation: "relu",
        });
      assert.ok(
        maxRelativeError(await on("wasm", fused), await on("cpu", fused)) < TOLERANCE,
        `_FusedMatMul ${JSON.stringify(c)}`,
      );
    }
    // tfjs's plain matMul hands BatchMatMul rank-2 tensors (and the output must stay rank 2).
    const [a2, b2] = [randomValues(random, 70 * 90), randomValues(random, 90 * 80)];
    const rank2 = () => tf.matMul(tf.tensor2d(a2, [70, 90]), tf.tensor2d(b2, [90, 80]));
    assert.ok(
      maxRelativeError(await on("wasm", rank2), await on("cpu", rank2)) < TOLERANCE,
      "rank-2 BatchMatMul",
    );
    assert.deepEqual(
      tf.tidy(() => rank2().shape),
      [70, 80],
    ); // (on cpu, the last backend used)
    const after = wasmKernelCalls();
    const large = cases.filter((c) => c.m * c.n * c.k >= MIN_MULTIPLY_ADDS).length;
    assert.ok(large >= 3);
    for (const name of ["BatchMatMul", "_FusedMatMul"]) {
      const rank2Calls = name === "BatchMatMul" ? 1 : 0;
      assert.equal(
        after[name].ours - (before[name]?.ours ?? 0),
        large + rank2Calls,
        `${name} computed the large products`,
      );
      assert.equal(
        after[name].delegated - (before[name]?.delegated ?? 0),
        cases.length - large,
        `${name} handed on the small ones`,
      );
    }
  });

  it("MaxPoolGrad equals the cpu backend, with ties among ReLU zeros, overlapping windows and same padding", async () => {
    const random = new Random(17);
    const before = wasmKernelCalls().MaxPoolGrad ?? { ours: 0, delegated: 0 };
    const cases = [
      { batch: 1, height: 9, width: 7, channels: 3, size: 2, stride: 2, pad: "valid" },
      { batch: 3, height: 26, width: 26, channels: 5, size: 2, stride: 2, pad: "valid" },
      { batch: 5, height: 11, width: 13, channels: 2, size: 3, stride: 2, pad: "valid" },
      { batch: 2, height: 7, width: 7, channels: 3, size: 2, stride: 2, pad: "same" },
      { batch: 3, height: 8, width: 9, channels: 2, size: 3, stride: 1, pad: "same" },
    ] as const;
    for (const c of cases) {
      const shape = [c.batch, c.height, c.width, c.channels] as [number, number, number, number];
      // Half the inputs are ReLU zeros, so windows of equal maxima are common: the first must win.
      const input = randomValues(
        random,
        shape.reduce((p, s) => p * s),
      ).map((v) => Math.max(v, 0));
      const pooledShape = await on("cpu", () =>
        tf.maxPool(tf.tensor4d(input, shape), c.size, c.stride, c.pad),
      );
      const dy = randomValues(random, pooledShape.length);
      const gradient = () => {
        const x = tf.tensor4d(input, shape);
        const output = tf.maxPool(x, c.size, c.stride, c.pad);
        const attrs = { filterSize: c.size, strides: c.stride, pad: c.pad, dimRoundingMode: undefined };
        return runKernel("MaxPoolGrad", { dy: tf.tensor(dy, output.shape), input: x, output }, attrs);
      };
      assert.ok(
        maxRelativeError(await on("wasm", gradient), await on("cpu", gradient)) < TOLERANCE,
        `MaxPoolGrad ${JSON.stringify(c)}`,
      );
    }
    const after = wasmKernelCalls().MaxPoolGrad;
    assert.deepEqual([after.ours - before.ours, after.delegated - before.delegated], [5, 0]);
  });

  it("MaxPool equals the cpu backend, and its gradient reuses the forward arg-max with the same result", async () => {
    const random = new Random(19);
    const before = wasmKernelCalls().MaxPool ?? { ours: 0, delegated: 0 };
    const reuseBefore = maxPoolArgmaxReuse();
    const cases = [
      { batch: 1, height: 9, width: 7, channels: 3, size: 2, stride: 2, pad: "valid" },
      { batch: 5, height: 11, width: 13, channels: 2, size: 3, stride: 2, pad: "valid" },
      { batch: 3, height: 7, width: 9, channels: 4, size: 2, stride: 2, pad: "same" },
      { batch: 3, height: 8, width: 9, channels: 2, size: 3, stride: 1, pad: "same" },
    ] as const;
    for (const c of cases) {
      const shape = [c.batch, c.height, c.width, c.channels] as [number, number, number, number];
      // ReLU zeros, so that ties are common and the first maximum must win in the gradient too.
      const input = randomValues(
        random,
        shape.reduce((p, s) => p * s),
      ).map((v) => Math.max(v, 0));
      const pool = () => tf.maxPool(tf.tensor4d(input, shape), c.size, c.stride, c.pad);
      const [cpu, wasm] = [await on("cpu", pool), await on("wasm", pool)];
      assert.ok(maxRelativeError(wasm, cpu) < TOLERANCE, `MaxPool ${JSON.stringify(c)}`);
      const weights = randomValues(random, cpu.length);
      await tf.setBackend("cpu");
      const pooledShape = tf.tidy(() => pool().shape);
      const gradient = () =>
        tf.grad((x: tf.Tensor) =>
          tf.sum(
            tf.mul(tf.maxPool(x as tf.Tensor4D, c.size, c.stride, c.pad), tf.tensor(weights, pooledShape)),
          ),
        )(tf.tensor4d(input, shape));
      const [cpuGradient, wasmGradient] = [await on("cpu", gradient), await on("wasm", gradient)];
      assert.ok(wasmGradient.some((v) => v !== 0));
      assert.ok(maxRelativeError(wasmGradient, cpuGradient) < TOLERANCE, `gradient ${JSON.stringify(c)}`);
    }
    const after = wasmKernelCalls().MaxPool;
    // Twice per case on wasm: the plain pool and the recorded one.
    assert.deepEqual([after.ours - before.ours, after.delegated - before.delegated], [8, 0]);
    const reuse = maxPoolArgmaxReuse();
    assert.equal(reuse.reused - reuseBefore.reused, cases.length, "every gradient reused its arg-max");
    assert.equal(reuse.recomputed, reuseBefore.recomputed);
  });

  it("Identity shares its input's data and Slice copies only the slice, as the cpu backend computes them", async () => {
    const random = new Random(20);
    const values = randomValues(random, 7 * 5 * 4 * 3);
    await tf.setBackend("wasm");
    const original = tf.tensor4d(values, [7, 5, 4, 3]);
    const buffersBefore = tf.memory().numDataBuffers;
    const copy = tf.clone(original);
    assert.equal(tf.memory().numDataBuffers, buffersBefore, "the clone shares the original's data");
    original.dispose();
    assert.deepEqual(Array.from(copy.dataSync()), Array.from(values));
    copy.dispose();
    const before = wasmKernelCalls().Slice ?? { ours: 0, delegated: 0 };
    const slices: Array<[number[], number[]]> = [
      [
        [2, 0, 0, 0],
        [3, 5, 4, 3],
      ], // whole images: one contiguous range
      [
        [6, 4, 0, 0],
        [1, 1, 4, -1],
      ], // one row of the last image
      [
        [0, 1, 0, 0],
        [7, 2, 4, 3],
      ], // rows of every image: not contiguous
    ];
    for (const [begin, size] of slices) {
      const cut = () => tf.slice(tf.tensor4d(values, [7, 5, 4, 3]), begin, size);
      assert.deepEqual(await on("wasm", cut), await on("cpu", cut), `Slice ${begin} ${size}`);
      const ints = () => tf.slice(tf.tensor4d(values, [7, 5, 4, 3]).mul(100).toInt(), begin, size);
      assert.deepEqual(await on("wasm", ints), await on("cpu", ints), `int32 Slice ${begin} ${size}`);
    }
    const after = wasmKernelCalls().Slice;
    assert.deepEqual([after.ours - before.ours, after.delegated - before.delegated], [4, 2]);
  });

  it("Sum over every axis but the last equals the cpu backend; other sums go to tfjs-wasm", async () => {
    const random = new Random(18);
    const x = randomValues(random, 33 * 9 * 11 * 24);
    const before = wasmKernelCalls().Sum ?? { ours: 0, delegated: 0 };
    for (const keepDims of [false, true]) {
      const sum = () => tf.sum(tf.tensor4d(x, [33, 9, 11, 24]), [0, 1, 2], keepDims);
      const [cpu, wasm] = [await on("cpu", sum), await on("wasm", sum)];
      assert.ok(maxRelativeError(wasm, cpu) < 1e-4, `Sum keepDims ${keepDims}`);
      assert.deepEqual(
        tf.tidy(() => sum().shape),
        keepDims ? [1, 1, 1, 24] : [24],
      );
    }
    const inner = () => tf.sum(tf.tensor4d(x, [33, 9, 11, 24]), 3);
    assert.ok(maxRelativeError(await on("wasm", inner), await on("cpu", inner)) < 1e-5);
    const after = wasmKernelCalls().Sum;
    assert.deepEqual(
      [after.ours - before.ours, after.delegated - before.delegated],
      [4, 1],
      "(twice each: values, shape)",
    );
  });

  it("gives a small conv model's gradients equal to the cpu backend's", async () => {
    const random = new Random(16);
    const xs = randomValues(random, 5 * 12 * 12 * 2);
    const labels = Float32Array.from({ length: 5 * 3 }, (_, i) => (i % 3 === (i % 5) % 3 ? 1 : 0));
    const gradients = async (backend: "cpu" | "wasm") => {
      await tf.setBackend(backend);
      tf.util.assert(true, () => "");
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: [12, 12, 2],
            filters: 6,
            kernelSize: 3,
            padding: "same",
            activation: "relu",
            kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
          }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({
            filters: 5,
            kernelSize: 3,
            strides: 2,
            activation: "relu",
            kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
          }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        ],
      });
      const { grads } = tf.variableGrads(
        () =>
          tf.losses.softmaxCrossEntropy(
            tf.tensor2d(labels, [5, 3]),
            model.apply(tf.tensor4d(xs, [5, 12, 12, 2])) as tf.Tensor,
          ) as tf.Scalar,
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
      assert.ok(
        g.some((v) => v !== 0),
        `gradient ${i} is not all zeros`,
      );
      assert.ok(maxRelativeError(g, cpu[i]) < 1e-5, `gradient ${i}: ${maxRelativeError(g, cpu[i])}`);
    });
  });

  it("refuses NCHW, dilated gradients, other kernel signatures and overflowing shapes, naming kernel and attribute", async () => {
    await tf.setBackend("wasm");
    const x = tf.ones([2, 6, 6, 3]);
    const dy = tf.ones([2, 4, 4, 4]);
    const filter = tf.ones([3, 3, 3, 4]);
    const attrs = {
      strides: 1,
      pad: "valid",
      dataFormat: "NHWC",
      dimRoundingMode: undefined,
      filterShape: [3, 3, 3, 4],
    };
    assert.throws(
      () => runKernel("Conv2DBackpropFilter", { x, dy }, { ...attrs, dataFormat: "NCHW" }),
      /Conv2DBackpropFilter.*dataFormat = 'NCHW' is not supported/,
    );
    assert.throws(
      () => runKernel("Conv2DBackpropFilter", { x, dy }, { ...attrs, dilations: [2, 2] }),
      /Conv2DBackpropFilter.*dilations = \[2,2\]/,
    );
    assert.throws(
      () => runKernel("Conv2DBackpropFilter", { x, dy }, { ...attrs, strides: [1, 2] }),
      /Conv2DBackpropFilter.*strides = \[1,2\]/,
    );
    assert.throws(
      () => runKernel("Conv2DBackpropFilter", { x, dy }, { ...attrs, filterShape: undefined }),
      /Conv2DBackpropFilter.*attribute filterShape.*kernel signature/,
    );
    assert.throws(
      () => runKernel("Conv2DBackpropInput", { dy, filter }, { ...attrs, inputShape: undefined }),
      /Conv2DBackpropInput.*attribute inputShape/,
    );
    assert.throws(
      () => runKernel("Conv2DBackpropFilter", { x, dy: tf.ones([2, 3, 3, 4]) }, attrs),
      /Conv2DBackpropFilter.*dy shape = \[2,3,3,4\].*\[2,4,4,4\]/,
    );
    assert.throws(
      () => runKernel("Conv2D", { x, filter }, { ...attrs, dataFormat: "NCHW" }),
      /Conv2D.*dataFormat = 'NCHW'/,
    );
    assert.throws(
      () =>
        runKernel(
          "Conv2DBackpropInput",
          { dy, filter },
          { ...attrs, inputShape: [2, 6, 6, 3], dataFormat: "NCHW" },
        ),
      /Conv2DBackpropInput.*dataFormat = 'NCHW'/,
    );
    assert.throws(
      () =>
        runKernel(
          "Conv2DBackpropInput",
          { dy, filter },
          { ...attrs, inputShape: [2, 6, 6, 3], dilations: 2 },
        ),
      /Conv2DBackpropInput.*dilations = 2 is not supported/,
    );
    assert.throws(
      () => runKernel("FusedConv2D", { x, filter }, { ...attrs, dataFormat: "NCHW", activation: "relu" }),
      /FusedConv2D.*dataFormat = 'NCHW'/,
    );
    assert.throws(
      () =>
        runKernel(
          "MaxPoolGrad",
          { dy: tf.ones([2, 2, 2, 3]), input: x, output: tf.ones([2, 3, 3, 3]) },
          { filterSize: 2, strides: 2, pad: "valid" },
        ),
      /MaxPoolGrad.*dy shape = \[2,2,2,3\].*\[2,3,3,3\]/,
    );
    // A tfjs whose kernels are called with other attribute names, or on another backend, or another major.
    assert.throws(
      () => runKernel("MaxPool", { x }, { windowSize: 2, strides: 2, pad: "valid" }),
      /MaxPool.*attribute filterSize.*TensorFlow.js 4.x kernel signature.*windowSize/,
    );
    assert.throws(
      () => runKernel("Conv2D", { input: x, filter }, attrs),
      /Conv2D.*input x.*kernel signature \(this TensorFlow.js passed: input, filter\)/,
    );
    const ourFilterGradient = tf.getKernel("Conv2DBackpropFilter", "wasm")!.kernelFunc;
    assert.throws(
      () => ourFilterGradient({ inputs: { x, dy }, attrs: attrs as never, backend: {} as never }),
      /Conv2DBackpropFilter.*backend = .*expected tfjs-backend-wasm 4.x/,
    );
    assert.throws(
      () => checkTfjsVersion("5.0.0"),
      /TensorFlow.js 5.0.0 is not supported.*4.x kernel signatures/,
    );
    assert.doesNotThrow(() => checkTfjsVersion(tf.version_core));
    // The gradients of that too-large convolution are refused too, before any output is made.
    const tensorsBefore = tf.memory().numTensors;
    assert.throws(
      () =>
        runKernel(
          "Conv2DBackpropFilter",
          { x: tf.zeros([1, 1024, 1024, 1]), dy: tf.zeros([1, 1024, 1024, 1]) },
          { strides: 1, pad: "same", dataFormat: "NHWC", filterShape: [31, 31, 1, 1] },
        ),
      /Conv2DBackpropFilter.*input shape.*\[1, 1024, 1024, 1\].*MiB/,
    );
    assert.equal(tf.memory().numTensors, tensorsBefore + 2, "no output tensor was made");
    // One 1024×1024 image with a 31×31 filter: a 3.8 GB patch matrix, refused before anything is allocated.
    const numTensors = tf.memory().numTensors;
    assert.throws(
      () =>
        runKernel(
          "Conv2D",
          { x: tf.zeros([1, 1024, 1024, 1]), filter: tf.zeros([31, 31, 1, 1]) },
          { strides: 1, pad: "same", dataFormat: "NHWC", dilations: 1 },
        ),
      /Conv2D.*input shape.*\[1, 1024, 1024, 1\].*MiB/,
    );
    assert.equal(tf.memory().numTensors, numTensors + 2, "no output tensor was made");
    tf.disposeVariables();
    // Dilated forward convolutions stay with the wasm backend's own kernel, which computes them.
    const dilated = () =>
      tf.conv2d(
        tf.tensor4d(
          Float32Array.from({ length: 2 * 7 * 7 * 3 }, (_, i) => Math.sin(i)),
          [2, 7, 7, 3],
        ),
        tf.ones([3, 3, 3, 4]),
        1,
        "valid",
        "NHWC",
        2,
      );
    const [cpu, wasm] = [await on("cpu", dilated), await on("wasm", dilated)];
    assert.ok(maxRelativeError(wasm, cpu) < TOLERANCE);
    assert.ok(wasmKernelCalls().Conv2D.delegated >= 1);
    // So do fused activations other than ReLU.
    const delegatedBefore = wasmKernelCalls().FusedConv2D.delegated;
    const elu = () =>
      tf.fused.conv2d({
        x: tf.tensor4d(
          Float32Array.from({ length: 75 }, (_, i) => Math.cos(i)),
          [1, 5, 5, 3],
        ),
        filter: tf.ones([3, 3, 3, 2]),
        strides: 1,
        pad: "same",
        activation: "elu",
      });
    assert.ok(maxRelativeError(await on("wasm", elu), await on("cpu", elu)) < TOLERANCE);
    assert.equal(wasmKernelCalls().FusedConv2D.delegated, delegatedBefore + 1);
  });
});

describe("TfCnnClassifier on the wasm backend with our kernels", function () {
  this.timeout(180000);
  let previous: ReturnType<typeof activeBackend>;

  before(async () => {
    previous = activeBackend();
    await initBackend("wasm");
  });

  after(async () => {
    stopUsingOurWasmKernels();
    if (previous) await initBackend(previous.name);
  });

  it("trains and learns MNIST (> 90% on 500 held-out training images after 2 epochs on 1,500)", async () => {
    const info = useOurWasmKernels();
    assert.equal(info.canTrainConv, true);
    assert.match(
      describeBackend(info),
      /backend: wasm .*our threaded kernels: Conv2DBackpropFilter, .*can train CNNs/,
    );
    const mnist = loadMnist({ trainLimit: 2000, testLimit: 1 });
    const all = toMatrix(mnist.train);
    const train = matrix(all.data.subarray(0, 1500 * 784), 1500, 784);
    const held = matrix(all.data.subarray(1500 * 784), 500, 784);
    const model = await new TfCnnClassifier({ epochs: 2, seed: 1 }).fit(
      train,
      mnist.train.labels.subarray(0, 1500),
    );
    assert.ok(model.history[1].loss < model.history[0].loss, "the loss falls");
    const accuracy = model.score(held, mnist.train.labels.subarray(1500));
    assert.ok(accuracy > 0.9, `accuracy ${accuracy}`);
    model.dispose();
    const without = stopUsingOurWasmKernels()!;
    assert.equal(without.canTrainConv, false);
    assert.equal(without.ourKernels, undefined);
    assert.throws(() => assertCanTrainConv(without), /impractical on the 'wasm' backend/);
  });
});
