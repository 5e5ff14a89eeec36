/**
 * The fused first conv + max-pool block (layers/conv-pool.ts) against the plain Conv2D + MaxPool2D
 * pair: the same forward output bit for bit, the same filter and bias gradients up to rounding (the
 * block sums them from the routed values instead of a dense dY), and Sequential choosing it.
 */
import * as assert from "assert";
import { getKernels, type Kernels } from "../../lib/kernels";
import type { BuildContext, Layer } from "../../lib/nn/layer";
import type { Tensor } from "../../lib/nn/tensor";
import { Conv2D, type Conv2DOptions } from "../../lib/nn/layers/conv2d";
import { ConvPool2D, fuseLayers } from "../../lib/nn/layers/conv-pool";
import { Dense } from "../../lib/nn/layers/dense";
import { Flatten } from "../../lib/nn/layers/flatten";
import { MaxPool2D } from "../../lib/nn/layers/max-pool";
import { ReLU } from "../../lib/nn/layers/relu";
import { Sequential } from "../../lib/nn/sequential";
import { Random } from "../../lib/random";
import { assertClose } from "../kernels/helpers";

interface Case {
  label: string;
  inputShape: [number, number, number];
  filters: number;
  conv: Conv2DOptions;
  pool: [size: number, stride?: number];
  batch: number;
}

const CASES: Case[] = [
  {
    label: "3×3 conv, 2×2 pool (the reference CNN's first block)",
    inputShape: [12, 12, 1],
    filters: 8,
    conv: {},
    pool: [2],
    batch: 3,
  },
  {
    label: "no bias, padding, 3-channel input",
    inputShape: [9, 7, 3],
    filters: 5,
    conv: { bias: false, pad: 1 },
    pool: [2],
    batch: 2,
  },
  {
    label: "overlapping 3×3 windows, stride 1",
    inputShape: [8, 8, 2],
    filters: 4,
    conv: { kernelSize: 5 },
    pool: [3, 1],
    batch: 2,
  },
];

function context(kernels: Kernels, batch: number, needsInputGradient: boolean): BuildContext {
  return { kernels, random: new Random(5), batchCapacity: batch, needsInputGradient };
}

/** Forward then backward through `layers` from the same input and output gradient; returns what came out. */
function run(layers: Layer[], c: Case, kernels: Kernels, needsInputGradient: boolean) {
  let shape: readonly number[] = c.inputShape;
  // As in Sequential: only the first layer may do without its input gradient.
  layers.forEach(
    (layer, i) => (shape = layer.build(shape, context(kernels, c.batch, needsInputGradient || i > 0))),
  );
  const random = new Random(9);
  const size = c.batch * c.inputShape.reduce((a, b) => a * b);
  const input = {
    data: Float32Array.from({ length: size }, () => random.normal()),
    shape: [c.batch, ...c.inputShape],
  };
  let x: Tensor = input;
  for (const layer of layers) x = layer.forward(x, true);
  const output = Float32Array.from(x.data);
  let g: Tensor | null = {
    data: Float32Array.from(output, () => random.normal()),
    shape: x.shape,
  };
  for (let i = layers.length - 1; i >= 0 && g; i--) g = layers[i].backward(g);
  const grads = layers.flatMap((layer) => layer.params()).map((p) => Float32Array.from(p.grad));
  return { output, grads, gradInput: g ? Float32Array.from(g.data) : null };
}

describe("fused conv + max-pool block", () => {
  for (const kernels of [
    getKernels({ implementation: "reference" }),
    getKernels({ threads: 1 }),
    getKernels({ threads: 2 }),
  ]) {
    for (const c of CASES) {
      const label = `${kernels.name} ${kernels.threads}T, ${c.label}`;
      const pair = () => [new Conv2D(c.filters, c.conv), new MaxPool2D(...c.pool)];

      it(`${label}: first in the network, equals the pair (forward exactly, gradients up to rounding)`, () => {
        const [conv, pool] = pair();
        const fused = run([new ConvPool2D(conv as Conv2D, pool as MaxPool2D)], c, kernels, false);
        const plain = run(pair(), c, kernels, false);
        assert.deepStrictEqual(fused.output, plain.output);
        assert.strictEqual(fused.gradInput, null);
        assert.strictEqual(fused.grads.length, c.conv.bias === false ? 1 : 2);
        fused.grads.forEach((grad, p) => {
          assertClose(grad, plain.grads[p], (i) => 1e-5 * (1 + Math.abs(plain.grads[p][i])), `param ${p}`);
        });
      });

      it(`${label}: elsewhere in the network, runs the pair unchanged (bit for bit, input gradient included)`, () => {
        const [conv, pool] = pair();
        const fused = run([new ConvPool2D(conv as Conv2D, pool as MaxPool2D)], c, kernels, true);
        const plain = run(pair(), c, kernels, true);
        assert.deepStrictEqual(fused, plain);
      });
    }
  }

  it("Sequential fuses a first conv + pool (and only that), keeping layer names, parameters and summary", () => {
    const layers = () => [
      new Conv2D(4),
      new MaxPool2D(2),
      new ReLU(),
      new Conv2D(3),
      new MaxPool2D(2),
      new Flatten(),
      new Dense(2),
    ];
    const kernels = getKernels();
    let routedCalls = 0;
    const counting: Kernels = Object.create(kernels, {
      convGradRouted: {
        value: (...args: Parameters<Kernels["convGradRouted"]>) => (
          routedCalls++,
          kernels.convGradRouted(...args)
        ),
      },
    });
    const build = (fuse: boolean) =>
      new Sequential(layers(), [12, 12, 1], { batchCapacity: 2, seed: 3, kernels: counting, fuse });
    const fused = build(true);
    const plain = build(false);
    assert.deepStrictEqual(
      fused.state().map((a) => a.name),
      plain.state().map((a) => a.name),
    );
    assert.strictEqual(fused.summary(), plain.summary());
    const random = new Random(1);
    const input = Float32Array.from({ length: 2 * 144 }, () => random.normal());
    for (const network of [fused, plain]) {
      const batch = network.input.view(2);
      batch.data.set(input);
      const out = network.forward(batch, true);
      network.backward({ data: Float32Array.of(1, -1, 0.5, 2), shape: out.shape });
    }
    assert.strictEqual(
      routedCalls,
      1,
      "the fused network summed its first gradients from the routed values, once",
    );
    fused.params().forEach((p, i) => {
      const expected = plain.params()[i].grad;
      assertClose(p.grad, expected, (j) => 1e-5 * (1 + Math.abs(expected[j])), p.name);
    });
  });

  it("fuseLayers leaves a conv + pool pair that is not first alone", () => {
    const layers = [new Dense(4), new Conv2D(2), new MaxPool2D(2)];
    assert.deepStrictEqual(fuseLayers(layers), layers);
    const [block, ...rest] = fuseLayers([new Conv2D(2), new MaxPool2D(2), new ReLU()]);
    assert.ok(block instanceof ConvPool2D);
    assert.strictEqual(rest.length, 1);
  });
});
