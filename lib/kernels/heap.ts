/**
 * An allocator over a shared WebAssembly.Memory: first-fit over an address-ordered free list, with
 * neighbouring free blocks merged. Blocks are 64-byte aligned (a cache line, and v128 alignment).
 *
 * `allocFloats` hands out Float32Array views; a block is reclaimed when `free` is called or, failing
 * that, once its view has been garbage-collected. A `subarray` of the view does not keep the block
 * alive: hold on to the view alloc returned for as long as any part of it is in use.
 *
 * Growing a shared memory never moves it: views created before a grow stay valid, they just see the
 * old length, so every buffer the memory has had is remembered to recognise such views.
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
  /** Views from allocFloats not yet freed, so `free` can tell them from anything else. */
  private readonly liveViews = new WeakSet<Float32Array>();
  private readonly reclaim = new FinalizationRegistry<number>((offset) => this.release(offset));

  /** Bytes below `base` are left alone (the control area); the heap grows upward from it. */
  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.buffers.add(memory.buffer);
    const start = roundUp(base, ALIGN);
    const end = memory.buffer.byteLength;
    if (end > start) this.freeBlocks.push({ offset: start, bytes: end - start });
  }

  /** True when `view` lies in this memory (including views taken before a grow). */
  owns(view: ArrayBufferView): boolean {
    return this.buffers.has(view.buffer);
  }

  /** A zeroed Float32Array of `length` floats, reclaimed when garbage-collected. */
  allocFloats(length: number): Float32Array {
    const offset = this.allocBytes(Math.max(length, 1) * 4);
    const view = new Float32Array(this.memory.buffer, offset, length);
    view.fill(0);
    this.reclaim.register(view, offset, view);
    this.liveViews.add(view);
    return view;
  }

  /** Returns a view from allocFloats early; views that are not from allocFloats are ignored. */
  freeFloats(view: Float32Array): void {
    if (!this.liveViews.has(view)) return;
    this.liveViews.delete(view);
    this.reclaim.unregister(view);
    this.release(view.byteOffset);
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
    const pages = Math.max(Math.ceil(atLeastBytes / PAGE), Math.ceil(before / PAGE / 2));
    try {
      this.memory.grow(pages);
    } catch {
      this.memory.grow(Math.ceil(atLeastBytes / PAGE));
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
