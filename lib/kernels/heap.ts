/**
 * An allocator over a shared WebAssembly.Memory: first-fit over an address-ordered free list, with
 * neighbouring free blocks merged. Blocks are 64-byte aligned (a cache line, and v128 alignment).
 *
 * `allocFloats` hands out Float32Array views, each on a SharedArrayBuffer object of its own that
 * aliases the same memory (a structured clone of the memory's buffer). Every view derived from the
 * result, a `subarray` or `new Int32Array(view.buffer, ...)`, references that object, so the block is
 * reclaimed only once no view of it is left, or when `freeFloats` is called.
 *
 * Growing a shared memory never moves it: views created before a grow stay valid, they just see the
 * old length, so every buffer the memory has had is remembered to recognise such views.
 *
 * Memory that has never been handed out is still the zeros WebAssembly gave it, so `allocFloats` only
 * clears the part of a block below that mark. Writing zeros over fresh pages would make the system
 * back every page of every buffer at once: a network built for batches of 128 and asked about one
 * image touched 117 MiB that way (0.37 s of `npm run predict`'s start-up).
 */
const ALIGN = 64;
const PAGE = 65536;

interface Block {
  offset: number;
  bytes: number;
}

export class SharedHeap {
  readonly memory: WebAssembly.Memory;
  private readonly freeBlocks: Block[] = [];
  private readonly used = new Map<number, number>();
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  /** Block offset of each buffer object allocFloats made and that has not been freed yet. */
  private readonly blockOf = new WeakMap<ArrayBufferLike, number>();
  private readonly reclaim = new FinalizationRegistry<number>((offset) => this.release(offset));
  /** Bytes from here up have never been handed out, so they still hold zeros. */
  private untouchedFrom: number;

  /** Bytes below `base` are never handed out (so address 0 is never an array); the heap grows upward. */
  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.buffers.add(memory.buffer);
    const start = roundUp(base, ALIGN);
    this.untouchedFrom = start;
    const end = memory.buffer.byteLength;
    if (end > start) this.freeBlocks.push({ offset: start, bytes: end - start });
  }

  /** True when `view` lies in this memory (including views taken before a grow). */
  owns(view: ArrayBufferView): boolean {
    return this.buffers.has(view.buffer);
  }

  /** A zeroed Float32Array of `length` floats, reclaimed once no view of it remains. */
  allocFloats(length: number): Float32Array {
    const untouchedFrom = this.untouchedFrom;
    const offset = this.allocBytes(Math.max(length, 1) * 4);
    const buffer = structuredClone(this.memory.buffer);
    this.buffers.add(buffer);
    this.blockOf.set(buffer, offset);
    this.reclaim.register(buffer, offset, buffer);
    const view = new Float32Array(buffer, offset, length);
    // Only the floats below the mark may hold an earlier block's values.
    view.fill(0, 0, Math.max(0, Math.min(length, (untouchedFrom - offset) / 4)));
    return view;
  }

  /** Releases the block `view` (or any view derived from it) came from; other arrays are ignored. */
  freeFloats(view: ArrayBufferView): void {
    const offset = this.blockOf.get(view.buffer);
    if (offset === undefined) return;
    this.blockOf.delete(view.buffer);
    this.reclaim.unregister(view.buffer);
    this.release(offset);
  }

  /** Raw block for kernel-internal scratch; the caller must `release` it. Not zeroed. */
  allocBytes(bytes: number): number {
    const size = roundUp(Math.max(bytes, 1), ALIGN);
    let index = this.freeBlocks.findIndex((block) => block.bytes >= size);
    if (index < 0) {
      this.grow(size);
      index = this.freeBlocks.findIndex((block) => block.bytes >= size);
    }
    const block = this.freeBlocks[index];
    const offset = block.offset;
    if (block.bytes === size) this.freeBlocks.splice(index, 1);
    else {
      block.offset += size;
      block.bytes -= size;
    }
    this.used.set(offset, size);
    this.untouchedFrom = Math.max(this.untouchedFrom, offset + size);
    return offset;
  }

  release(offset: number): void {
    const bytes = this.used.get(offset);
    if (bytes === undefined) throw new Error(`heap: no block at ${offset}`);
    this.used.delete(offset);
    this.insertFree({ offset, bytes });
  }

  /** Bytes currently handed out, for tests and diagnostics. */
  get usedBytes(): number {
    let total = 0;
    for (const bytes of this.used.values()) total += bytes;
    return total;
  }

  /** The buffer to build new views on: the newest, which covers all memory. */
  get buffer(): ArrayBufferLike {
    return this.memory.buffer;
  }

  private grow(atLeastBytes: number): void {
    const before = this.memory.buffer.byteLength;
    // Grow by half again at least, so a run of small allocations does not grow page by page.
    const needed = Math.ceil(atLeastBytes / PAGE);
    try {
      this.memory.grow(Math.max(needed, Math.ceil(before / PAGE / 2)));
    } catch {
      try {
        this.memory.grow(needed);
      } catch {
        throw new RangeError(
          `kernels: out of WebAssembly memory: ${atLeastBytes} more bytes do not fit next to the ${this.usedBytes} in use ` +
            `(${before / 2 ** 20} MiB reserved); free() or drop arrays from alloc that are no longer needed`,
        );
      }
    }
    this.buffers.add(this.memory.buffer);
    this.insertFree({ offset: before, bytes: this.memory.buffer.byteLength - before });
  }

  private insertFree(block: Block): void {
    const list = this.freeBlocks;
    let index = 0;
    while (index < list.length && list[index].offset < block.offset) index++;
    list.splice(index, 0, block);
    const next = list[index + 1];
    if (next && block.offset + block.bytes === next.offset) {
      block.bytes += next.bytes;
      list.splice(index + 1, 1);
    }
    const previous = list[index - 1];
    if (previous && previous.offset + previous.bytes === block.offset) {
      previous.bytes += block.bytes;
      list.splice(index, 1);
    }
  }
}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}
