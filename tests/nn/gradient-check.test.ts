/** Every layer's backward against central finite differences (helpers in gradient-check.ts). */
import * as assert from "assert";
import { getKernels } from "../../lib/kernels";
import { BatchNorm } from "../../lib/nn/layers/batch-norm";
import { Conv2D } from "../../lib/nn/layers/conv2d";
import { Dense } from "../../lib/nn/layers/dense";
import { Dropout } from "../../lib/nn/layers/dropout";
import { Flatten } from "../../lib/nn/layers/flatten";
import { MaxPool2D } from "../../lib/nn/layers/max-pool";
import { ReLU } from "../../lib/nn/layers/relu";
import { softmaxCrossEntropy } from "../../lib/nn/loss";
import { Sequential } from "../../lib/nn/sequential";
import { Random } from "../../lib/random";
import { assertClose, checkGradients } from "./gradient-check";

/** Values at least `gap` apart in random order, so no finite-difference step crosses a kink or a tie. */
function spreadValues(length: number, gap: number, seed: number): Float32Array {
  const order = new Random(seed).permutation(length);
  return Float32Array.from(order, (rank) => (rank - length / 2) * gap + gap / 2);
}

/** (L(θ + ε) − L(θ − ε)) / 2ε for value i of a parameter, which is restored afterwards. */
function centralDifference(values: Float32Array, i: number, epsilon: number, loss: () => number): number {
  const original = values[i];
  values[i] = original + epsilon;
  const plus = loss();
  values[i] = original - epsilon;
  const minus = loss();
  values[i] = original;
  return (plus - minus) / (2 * epsilon);
}

/** The cross-entropy of a network on one training-mode batch. */
function networkLoss(network: Sequential, images: Float32Array, labels: number[]): number {
  const input = network.input.view(labels.length);
  input.data.set(images);
  return softmaxCrossEntropy(network.forward(input, true), labels).loss;
}

/** Every parameter's gradient of that loss, copied. */
function networkGradients(network: Sequential, images: Float32Array, labels: number[]): Float32Array[] {
  const input = network.input.view(labels.length);
  input.data.set(images);
  const logits = network.forward(input, true);
  const grad = new Float32Array(logits.data.length);
  softmaxCrossEntropy(logits, labels, grad);
  network.backward({ data: grad, shape: logits.shape });
  return network.params().map((p) => p.grad.slice());
}

describe("gradient checks", () => {
  it("dense", () => {
    checkGradients({ make: () => new Dense(4), inputShape: [5], batch: 3 });
    checkGradients({ make: () => new Dense(3, { bias: false, init: "glorot" }), inputShape: [4], batch: 2 });
  });

  it("conv2d, stride 1 without padding", () => {
    checkGradients({ make: () => new Conv2D(3), inputShape: [5, 5, 2], batch: 2 });
  });

  it("conv2d with stride 2 and padding 1, and without a bias", () => {
    checkGradients({
      make: () => new Conv2D(2, { kernelSize: 3, stride: 2, pad: 1 }),
      inputShape: [6, 5, 3],
      batch: 2,
    });
    checkGradients({ make: () => new Conv2D(2, { bias: false }), inputShape: [4, 4, 2], batch: 2 });
  });

  it("max-pool, non-overlapping and overlapping windows", () => {
    checkGradients({
      make: () => new MaxPool2D(2),
      inputShape: [4, 5, 2],
      batch: 2,
      input: spreadValues(80, 0.1, 1),
    });
    checkGradients({
      make: () => new MaxPool2D(3, 1),
      inputShape: [4, 4, 2],
      batch: 1,
      input: spreadValues(32, 0.1, 2),
    });
  });

  it("relu (inputs kept away from the kink)", () => {
    checkGradients({ make: () => new ReLU(), inputShape: [3, 4], batch: 2, input: spreadValues(24, 0.1, 3) });
  });

  it("batch-norm in training mode, dense and convolutional inputs", () => {
    checkGradients({ make: () => new BatchNorm(), inputShape: [4], batch: 6, epsilon: 1e-2 });
    checkGradients({ make: () => new BatchNorm(), inputShape: [3, 3, 2], batch: 2 });
  });

  it("dropout with a fixed mask", () => {
    checkGradients({ make: () => new Dropout(0.4), inputShape: [10], batch: 3, rebuildEachForward: true });
  });

  it("flatten", () => {
    checkGradients({ make: () => new Flatten(), inputShape: [2, 3, 2], batch: 2 });
  });

  it("softmax cross-entropy with respect to the logits", () => {
    const random = new Random(5);
    const batch = 4;
    const classes = 5;
    const logits = Float32Array.from({ length: batch * classes }, () => random.normal(0, 3));
    const labels = [0, 3, 4, 3];
    const grad = new Float32Array(logits.length);
    softmaxCrossEntropy({ data: logits, shape: [batch, classes] }, labels, grad);
    const epsilon = 1e-2;
    for (let i = 0; i < logits.length; i++) {
      const original = logits[i];
      logits[i] = original + epsilon;
      const plus = softmaxCrossEntropy({ data: logits, shape: [batch, classes] }, labels).loss;
      logits[i] = original - epsilon;
      const minus = softmaxCrossEntropy({ data: logits, shape: [batch, classes] }, labels).loss;
      logits[i] = original;
      assertClose(grad[i], (plus - minus) / (2 * epsilon), 1e-2, `dloss/dlogits[${i}]`);
    }
  });

  it("a whole network through the loss: conv, batch-norm, pool, in-place ReLU, flatten, dense", () => {
    const batch = 3;
    const network = new Sequential(
      [
        new Conv2D(2, { bias: false }),
        new BatchNorm(),
        new MaxPool2D(2),
        new ReLU(),
        new Flatten(),
        new Dense(3),
      ],
      [6, 6, 1],
      { batchCapacity: batch, seed: 4 },
    );
    const random = new Random(9);
    const images = Float32Array.from({ length: batch * 36 }, () => random.next());
    const labels = [2, 0, 1];
    const lossAt = () => {
      const input = network.input.view(batch);
      input.data.set(images);
      return softmaxCrossEntropy(network.forward(input, true), labels).loss;
    };
    const input = network.input.view(batch);
    input.data.set(images);
    const logits = network.forward(input, true);
    const grad = new Float32Array(batch * 3);
    softmaxCrossEntropy(logits, labels, grad);
    network.backward({ data: grad, shape: [batch, 3] });
    const epsilon = 1e-2;
    for (const param of network.params()) {
      const analytic = Float64Array.from(param.grad);
      for (let i = 0; i < param.value.length; i++) {
        assertClose(
          analytic[i],
          centralDifference(param.value, i, epsilon, lossAt),
          2e-2,
          `${param.name}[${i}]`,
        );
      }
    }
  });
  it("conv2d after max-pooling and ReLU takes the sparse backward path: finite differences, and equal to the dense path", () => {
    const batch = 2;
    const build = () =>
      new Sequential(
        [
          new Conv2D(4),
          new MaxPool2D(2),
          new ReLU(),
          new Conv2D(3),
          new MaxPool2D(2),
          new ReLU(),
          new Flatten(),
          new Dense(3),
        ],
        [10, 10, 2],
        { batchCapacity: batch, seed: 5 },
      );
    const random = new Random(12);
    const images = Float32Array.from({ length: batch * 200 }, () => random.normal());
    const labels = [1, 2];
    const gradients = (network: Sequential) => networkGradients(network, images, labels);
    const saved = { density: Conv2D.sparseDensity, minPatch: Conv2D.sparseMinPatch };
    let sparse: Float32Array[], dense: Float32Array[];
    const network = build();
    try {
      // Every conv takes the sparse path here (patches of 18 and 36 values)...
      Conv2D.sparseDensity = 1;
      Conv2D.sparseMinPatch = 1;
      sparse = gradients(network);
      // Small steps: two stacked max-pools have many kinks.
      const epsilon = 1e-3;
      const lossAt = () => {
        const input = network.input.view(batch);
        input.data.set(images);
        return softmaxCrossEntropy(network.forward(input, true), labels).loss;
      };
      for (const [index, param] of network.params().entries()) {
        for (let i = 0; i < param.value.length; i += 3) {
          assertClose(
            sparse[index][i],
            centralDifference(param.value, i, epsilon, lossAt),
            2e-2,
            `${param.name}[${i}]`,
          );
        }
      }
      // ...and none here.
      Conv2D.sparseDensity = -1;
      dense = gradients(build());
    } finally {
      Conv2D.sparseDensity = saved.density;
      Conv2D.sparseMinPatch = saved.minPatch;
    }
    sparse.forEach((values, p) => {
      for (let i = 0; i < values.length; i++)
        assertClose(values[i], dense[p][i], 1e-4, `param ${p}[${i}], sparse vs dense`);
    });
  });
  it("a first conv2d under a max-pool sums its gradients from the routed gradient: finite differences, and equal to the unfused pair", () => {
    const batch = 3;
    const kernels = getKernels();
    const build = (fuse: boolean) =>
      new Sequential([new Conv2D(4), new MaxPool2D(2), new ReLU(), new Flatten(), new Dense(3)], [8, 8, 1], {
        batchCapacity: batch,
        seed: 6,
        kernels,
        fuse,
      });
    const random = new Random(13);
    const images = Float32Array.from({ length: batch * 64 }, () => random.normal());
    const labels = [0, 2, 1];
    const lossAt = (network: Sequential) => networkLoss(network, images, labels);
    const gradients = (network: Sequential) => networkGradients(network, images, labels);
    const routedNetwork = build(true);
    const routed = gradients(routedNetwork);
    const dense = gradients(build(false));
    routed.forEach((values, p) => {
      for (let i = 0; i < values.length; i++)
        assertClose(values[i], dense[p][i], 1e-4, `param ${p}[${i}], routed vs dense`);
    });
    const epsilon = 1e-3;
    for (const [index, param] of routedNetwork.params().slice(0, 2).entries()) {
      for (let i = 0; i < param.value.length; i++) {
        assertClose(
          routed[index][i],
          centralDifference(param.value, i, epsilon, () => lossAt(routedNetwork)),
          2e-2,
          `${param.name}[${i}]`,
        );
      }
    }
  });
});
