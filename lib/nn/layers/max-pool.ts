/** Max pooling over NHWC images; remembers the arg-max of each window to route gradients back. */
import { poolOutputSize, type PoolShape } from "../../kernels/api";
import { checkPositiveInteger } from "../../validation";
import { Layer, type BuildContext } from "../layer";
import { BatchBuffer, formatShape, type Tensor } from "../tensor";

export class MaxPool2D extends Layer {
  readonly kind = "maxpool2d";
  readonly stride: number;
  private shape!: PoolShape;
  private output!: BatchBuffer;
  private gradInput!: BatchBuffer;
  private argmax!: Int32Array;
  private outputSize = 0;
  private lastBatch = 0;

  /** `size`×`size` windows every `stride` pixels (default stride = size, non-overlapping). */
  constructor(
    readonly size = 2,
    stride?: number,
  ) {
    super();
    this.stride = stride ?? size;
    checkPositiveInteger("maxpool2d", "size", size);
    checkPositiveInteger("maxpool2d", "stride", this.stride);
  }

  protected setup(inputShape: readonly number[], context: BuildContext): readonly number[] {
    if (inputShape.length !== 3) {
      throw new RangeError(
        `${this.name}: expects NHWC images [batch, height, width, channels], got per-sample shape ${formatShape(inputShape)}`,
      );
    }
    const [height, width, channels] = inputShape;
    const { kernels, batchCapacity } = context;
    this.shape = { batch: 0, height, width, channels, size: this.size, stride: this.stride };
    let outHeight: number, outWidth: number;
    try {
      ({ outHeight, outWidth } = poolOutputSize(this.shape));
    } catch (error) {
      throw new RangeError(`${this.name}: ${(error as Error).message}`);
    }
    const allocate = (n: number) => kernels.alloc(n);
    this.output = new BatchBuffer(allocate, [outHeight, outWidth, channels], batchCapacity);
    this.outputSize = outHeight * outWidth * channels;
    // Carved from kernel memory so the WebAssembly kernels read it without a copy.
    const argmaxMemory = kernels.alloc(batchCapacity * this.outputSize);
    this.argmax = new Int32Array(argmaxMemory.buffer, argmaxMemory.byteOffset, argmaxMemory.length);
    if (context.needsInputGradient) this.gradInput = new BatchBuffer(allocate, inputShape, batchCapacity);
    return [outHeight, outWidth, channels];
  }

  forward(input: Tensor, training: boolean): Tensor {
    const batch = this.checkInput(input);
    const output = this.output.view(batch);
    this.shape.batch = batch;
    this.kernels.maxPool(
      input.data,
      this.shape,
      output.data,
      this.argmax.subarray(0, batch * this.outputSize),
    );
    this.lastBatch = training ? batch : 0;
    return output;
  }

  /** The flat input index of each output's maximum, recorded by the last training-mode forward. */
  lastArgmax(): Int32Array {
    const batch = this.lastBatch;
    if (batch === 0) throw new Error(`${this.name}: backward without a training-mode forward`);
    return this.argmax.subarray(0, batch * this.outputSize);
  }

  backward(gradOutput: Tensor): Tensor | null {
    const argmax = this.lastArgmax();
    if (!this.needsInputGradient) return null;
    const gradInput = this.gradInput.view(this.lastBatch);
    // this.shape still holds the batch of the training-mode forward that recorded argmax.
    this.kernels.maxPoolBackward(gradOutput.data, argmax, this.shape, gradInput.data);
    return gradInput;
  }
}
