/**
 * Gives every array a kernel touches an address in the wasm memory. Views already in it (from
 * `alloc`) are used in place; any other array is copied into a temporary block, and copied back
 * afterwards if the kernel writes it. `finish` must run (in a finally) to release the blocks.
 */
import type { SharedHeap } from "./heap";

type FloatOrIntArray = Float32Array | Int32Array;

export class Staging {
  private readonly blocks: number[] = [];
  private readonly writeBacks: Array<() => void> = [];

  constructor(private readonly heap: SharedHeap) {}

  /** Address of the first `length` elements of an array the kernel only reads. */
  input(array: FloatOrIntArray, length: number): number {
    return this.place(array, length, true, false);
  }

  /** Address of an array the kernel overwrites without reading. */
  output(array: FloatOrIntArray, length: number): number {
    return this.place(array, length, false, true);
  }

  /** Address of an array the kernel reads and writes (gemm's C with beta ≠ 0, in-place relu). */
  inputOutput(array: FloatOrIntArray, length: number): number {
    return this.place(array, length, true, true);
  }

  /** Address of a temporary block of `length` floats (not zeroed) for the kernel's own use. */
  scratch(length: number): number {
    const address = this.heap.allocBytes(Math.max(length, 1) * 4);
    this.blocks.push(address);
    return address;
  }

  /** Copies written arrays back to their owners and frees the temporary blocks. */
  finish(success: boolean): void {
    if (success) for (const writeBack of this.writeBacks) writeBack();
    for (const block of this.blocks) this.heap.release(block);
  }

  private place(array: FloatOrIntArray, length: number, copyIn: boolean, copyOut: boolean): number {
    if (this.heap.owns(array)) return array.byteOffset;
    const address = this.heap.allocBytes(length * 4);
    this.blocks.push(address);
    const mirror =
      array instanceof Int32Array
        ? new Int32Array(this.heap.buffer, address, length)
        : new Float32Array(this.heap.buffer, address, length);
    if (copyIn) mirror.set(array.subarray(0, length));
    // `mirror` stays valid after a grow: shared memory never moves.
    if (copyOut) this.writeBacks.push(() => array.set(mirror));
    return address;
  }
}
