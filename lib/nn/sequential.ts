/**
 * A stack of layers applied in order. `build` fixes the per-sample input shape and the largest batch,
 * names the layers ("conv2d_1", "relu_2", ...) and lets each allocate its buffers once.
 */
import { checkPositiveInteger } from "../validation";
import { getKernels } from "../kernels";
import type { Kernels } from "../kernels/api";
import { Random } from "../random";
import type { Layer, NamedArray, Param } from "./layer";
import { fuseLayers } from "./layers/conv-pool";
import { BatchBuffer, formatShape, sizeOf, type Tensor } from "./tensor";

export interface SequentialBuildOptions {
  /** Largest batch passed to forward (training batches and inference chunks). */
  batchCapacity: number;
  /** Seeds initialisation and dropout. */
  seed?: number;
  kernels?: Kernels;
  /**
   * Default true: run a first Conv2D + MaxPool2D as one fused block (layers/conv-pool.ts), which gives
   * the same results up to rounding, faster. False runs every layer on its own.
   */
  fuse?: boolean;
  /**
   * Default true: 3×3 convolutions whose shapes suit it run forward by Winograd's F(2×2, 3×3)
   * (layers/conv2d.ts), the same results up to rounding, faster. False keeps im2col + GEMM.
   */
  winograd?: boolean;
  /** Default true; false skips the random initial weights, for a network whose weights are loaded next. */
  initialize?: boolean;
}

export class Sequential {
  readonly kernels: Kernels;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly batchCapacity: number;
  /** The network's input batch, in kernel memory; callers copy samples here and call `forward(batch)`. */
  readonly input: BatchBuffer;
  private readonly parameters: Param[];
  /** What forward and backward run: `layers`, with the fusions chosen at build time. */
  private readonly stages: readonly Layer[];
  /** Every array the network and its layers took from the kernels when built, for `dispose`. */
  private readonly owned: Float32Array[] = [];

  constructor(
    readonly layers: readonly Layer[],
    inputShape: readonly number[],
    options: SequentialBuildOptions,
  ) {
    if (layers.length === 0) throw new RangeError("Sequential: needs at least one layer");
    const { batchCapacity } = options;
    checkPositiveInteger("Sequential", "batchCapacity", batchCapacity);
    this.kernels = options.kernels ?? getKernels();
    const kernels = this.kernels;
    // The layers allocate through this, which records each array; everything else (and every write,
    // such as a thread pool started on first use) goes to the kernels themselves.
    const ownAlloc = (length: number) => this.own(kernels.alloc(length));
    const owning = new Proxy(kernels, {
      get: (target, key) => (key === "alloc" ? ownAlloc : Reflect.get(target, key, target)),
    });
    this.batchCapacity = batchCapacity;
    this.inputShape = [...inputShape];
    const random = new Random(options.seed ?? 0);
    const counts = new Map<string, number>();
    for (const layer of layers) {
      const count = (counts.get(layer.kind) ?? 0) + 1;
      counts.set(layer.kind, count);
      layer.name = `${layer.kind}_${count}`;
    }
    this.stages = options.fuse === false ? layers : fuseLayers(layers);
    let shape: readonly number[] = this.inputShape;
    this.stages.forEach((stage, index) => {
      shape = stage.build(shape, {
        kernels: owning,
        random,
        batchCapacity,
        needsInputGradient: index > 0,
        initialize: options.initialize,
        winograd: options.winograd,
      });
    });
    this.outputShape = shape;
    this.input = new BatchBuffer((n) => owning.alloc(n), this.inputShape, batchCapacity);
    this.parameters = layers.flatMap((layer) => layer.params());
  }

  /**
   * Hands the weights and buffers back to the kernels now. The wasm kernels reclaim an array only once
   * the garbage collector has dropped every view of it, which can take many models' worth of memory
   * (scoring 30 stored networks in a row grew the kernels' memory by 450 MB); the network must not be
   * used afterwards.
   */
  dispose(): void {
    for (const array of this.owned) this.kernels.free(array);
    this.owned.length = 0;
  }

  forward(input: Tensor, training: boolean): Tensor {
    let x = input;
    for (const stage of this.stages) x = stage.forward(x, training);
    return x;
  }

  /** Back-propagates d(loss)/d(output) through every layer, leaving gradients in `params()`. */
  backward(gradOutput: Tensor): void {
    let g: Tensor | null = gradOutput;
    for (let i = this.stages.length - 1; i >= 0 && g; i--) g = this.stages[i].backward(g);
  }

  params(): readonly Param[] {
    return this.parameters;
  }

  parameterCount(): number {
    return this.parameters.reduce((total, p) => total + p.value.length, 0);
  }

  /**
   * Inference over `rows` samples stored back to back in `data`, in chunks of the batch capacity.
   * Returns the outputs (e.g. logits), rows × output size.
   */
  predict(data: Float32Array, rows: number): Float32Array {
    const inSize = sizeOf(this.inputShape);
    const outSize = sizeOf(this.outputShape);
    if (data.length !== rows * inSize) {
      throw new RangeError(
        `Sequential: ${rows} samples of shape ${formatShape(this.inputShape)} need ${rows * inSize} values, got ${data.length}`,
      );
    }
    const result = new Float32Array(rows * outSize);
    for (let start = 0; start < rows; start += this.batchCapacity) {
      const batch = Math.min(this.batchCapacity, rows - start);
      const input = this.input.view(batch);
      input.data.set(data.subarray(start * inSize, (start + batch) * inSize));
      result.set(this.forward(input, false).data, start * outSize);
    }
    return result;
  }

  /** Every saved array (parameters and running statistics), by unique name. */
  private own(array: Float32Array): Float32Array {
    this.owned.push(array);
    return array;
  }

  state(): NamedArray[] {
    return this.layers.flatMap((layer) => layer.state());
  }

  /** One line per layer: name, output shape, parameter count. */
  summary(): string {
    const lines = this.layers.map((layer) => {
      const count = layer.params().reduce((total, p) => total + p.value.length, 0);
      return `${layer.name.padEnd(14)} ${formatShape(["batch", ...layer.outputShape]).padEnd(22)} ${count}`;
    });
    return [...lines, `total parameters: ${this.parameterCount()}`].join("\n");
  }
}
