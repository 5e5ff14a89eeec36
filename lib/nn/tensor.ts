/**
 * A tensor is a flat Float32Array plus a shape; the first axis is always the batch.
 * Images are NHWC (batch, height, width, channels), so a batch of MNIST rows of 784 pixels is already
 * a [batch, 28, 28, 1] tensor without any copy.
 */
export interface Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** Number of values in a tensor of this shape. */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

export function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * A buffer sized for the largest batch a layer will see, handing out a [batch, ...sampleShape] view.
 * The view for the last batch size is cached, so a training step allocates nothing.
 */
export class BatchBuffer {
  readonly data: Float32Array;
  private cached: Tensor | null = null;

  constructor(
    allocate: (length: number) => Float32Array,
    readonly sampleShape: readonly number[],
    readonly capacity: number,
  ) {
    this.data = allocate(capacity * sizeOf(sampleShape));
  }

  /** The first `batch` samples as a tensor (a view, not a copy). */
  view(batch: number): Tensor {
    if (this.cached && this.cached.shape[0] === batch) return this.cached;
    if (batch > this.capacity)
      throw new RangeError(`batch of ${batch} exceeds the buffer capacity of ${this.capacity}`);
    this.cached = {
      data: this.data.subarray(0, batch * sizeOf(this.sampleShape)),
      shape: [batch, ...this.sampleShape],
    };
    return this.cached;
  }
}
