/**
 * Sequential's choice of Winograd for a 3×3 convolution's forward pass (layers/conv2d.ts): the reference
 * CNN's second convolution takes it and its first does not; built with and without it, the network
 * gives the same outputs (training and inference) and the same gradients, up to rounding.
 */
import * as assert from "assert";
import { getKernels, type Kernels } from "../../lib/kernels";
import { referenceCnnLayers } from "../../lib/models/scratch/cnn-presets";
import { Conv2D } from "../../lib/nn/layers/conv2d";
import { Sequential } from "../../lib/nn/sequential";
import { Random } from "../../lib/random";
import { assertClose } from "../kernels/helpers";

describe("Conv2D forward by Winograd", () => {
  const batch = 4;
  const kernels = getKernels();
  let winogradCalls = 0;
  const counting: Kernels = Object.create(kernels, {
    winogradConvForward: {
      value: (...args: Parameters<Kernels["winogradConvForward"]>) => (
        winogradCalls++,
        kernels.winogradConvForward(...args)
      ),
    },
  });
  const build = (winograd: boolean) =>
    new Sequential(referenceCnnLayers(), [28, 28, 1], {
      batchCapacity: batch,
      seed: 5,
      kernels: counting,
      winograd,
    });
  const random = new Random(21);
  const images = Float32Array.from({ length: batch * 784 }, () => random.uniform(0, 1));

  it("the reference CNN's conv2 (13×13×32 → 64) takes it, its 1-channel conv1 does not", () => {
    const network = build(true);
    const convs = network.layers.filter((layer): layer is Conv2D => layer instanceof Conv2D);
    assert.deepStrictEqual(
      convs.map((conv) => conv.forwardByWinograd),
      [false, true],
    );
    assert.ok(!build(false).layers.some((layer) => layer instanceof Conv2D && layer.forwardByWinograd));
  });

  it("the same outputs and gradients with and without it", () => {
    const results = [true, false].map((winograd) => {
      const network = build(winograd);
      const calls = winogradCalls;
      const input = network.input.view(batch);
      input.data.set(images);
      const inference = network.forward(input, false).data.slice();
      const logits = network.forward(input, true);
      const training = logits.data.slice();
      const gradOutput = Float32Array.from({ length: logits.data.length }, (_, i) => ((i * 7) % 5) - 2);
      network.backward({ data: gradOutput, shape: logits.shape });
      return {
        calls: winogradCalls - calls,
        inference,
        training,
        grads: network.params().map((p) => ({ name: p.name, grad: p.grad.slice() })),
      };
    });
    const [winograd, plain] = results;
    assert.strictEqual(winograd.calls, 2, "one Winograd forward per pass, inference and training");
    assert.strictEqual(plain.calls, 0);
    assertClose(
      winograd.inference,
      plain.inference,
      (i) => 1e-4 * (1 + Math.abs(plain.inference[i])),
      "inference",
    );
    assertClose(
      winograd.training,
      plain.training,
      (i) => 1e-4 * (1 + Math.abs(plain.training[i])),
      "training",
    );
    winograd.grads.forEach(({ name, grad }, p) => {
      const expected = plain.grads[p].grad;
      // A max-pool arg-max may flip between near-equal values: allow a small absolute slack too.
      assertClose(grad, expected, (i) => 1e-3 * (1 + Math.abs(expected[i])), name);
    });
  });
});
