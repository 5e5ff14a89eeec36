/** The wasm build's shared-memory allocator, growth, and the caching / fallback in getKernels. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { describeKernels, getKernels } from "../../lib/kernels";
import { SharedHeap } from "../../lib/kernels/heap";
import { wasmBuilds } from "./helpers";

describe("kernel memory", () => {
  it("alloc returns zeroed, disjoint views in the kernels' memory", () => {
    const [kernels] = wasmBuilds();
    const first = kernels.alloc(10);
    const second = kernels.alloc(10);
    assert.ok(first.every((v) => v === 0) && second.every((v) => v === 0));
    assert.ok(first.buffer instanceof SharedArrayBuffer && second.buffer instanceof SharedArrayBuffer);
    assert.ok(
      first.byteOffset + first.byteLength <= second.byteOffset ||
        second.byteOffset + second.byteLength <= first.byteOffset,
    );
    assert.strictEqual(first.byteOffset % 64, 0);
  });

  it("free makes the block reusable and reuse comes back zeroed", () => {
    const heap = new SharedHeap(new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true }), 64);
    const first = heap.allocFloats(100);
    first.fill(7);
    heap.freeFloats(first);
    const again = heap.allocFloats(100);
    assert.strictEqual(again.byteOffset, first.byteOffset);
    assert.ok(again.every((v) => v === 0));
    heap.freeFloats(new Float32Array(4));
    assert.strictEqual(heap.usedBytes, 448);
  });

  it("clears only memory handed out before: a larger block over a freed one, and raw scratch, come back zeroed", () => {
    const heap = new SharedHeap(new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true }), 64);
    const first = heap.allocFloats(100);
    first.fill(7);
    heap.freeFloats(first);
    // Starts where `first` was and runs past it into memory never handed out.
    const larger = heap.allocFloats(300);
    assert.strictEqual(larger.byteOffset, first.byteOffset);
    assert.ok(larger.every((v) => v === 0));
    const scratch = heap.allocBytes(4096);
    new Float32Array(heap.buffer, scratch, 1024).fill(3);
    heap.release(scratch);
    assert.ok(
      heap.allocFloats(2048).every((v) => v === 0),
      "scratch written by a kernel is cleared on reuse",
    );
    // Grown memory is fresh: zeros without being written.
    assert.ok(heap.allocFloats(40000).every((v) => v === 0));
  });

  it("reclaims a block after garbage collection only once no derived view is left", function () {
    this.timeout(30000);
    // Needs --expose-gc, hence a child process. An Int32Array on the block's buffer outlives the
    // Float32Array alloc returned: the block must survive until that view goes too.
    const heapModule = path.resolve(__dirname, "../../lib/kernels/heap.js");
    const script = `
      const { SharedHeap } = require(${JSON.stringify(heapModule)});
      const heap = new SharedHeap(new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true }), 64);
      const collect = () => new Promise((resolve) => { gc(); setTimeout(resolve, 10); });
      (async () => {
        let derived = (() => { const v = heap.allocFloats(1000); return new Int32Array(v.buffer, v.byteOffset, 1000); })();
        await collect(); await collect();
        const kept = heap.usedBytes;
        derived = null;
        await collect(); await collect();
        console.log(kept, heap.usedBytes);
      })();`;
    const result = spawnSync(process.execPath, ["--expose-gc", "-e", script], {
      timeout: 20000,
      encoding: "utf8",
    });
    assert.strictEqual(result.status, 0, result.stderr);
    assert.deepStrictEqual(result.stdout.trim().split(" ").map(Number), [4032, 0]);
  });

  it("grows the memory on demand and older views stay valid", () => {
    const heap = new SharedHeap(new WebAssembly.Memory({ initial: 1, maximum: 64, shared: true }), 64);
    const early = heap.allocFloats(1000);
    early.fill(3);
    const big = heap.allocFloats(200000);
    assert.ok(heap.memory.buffer.byteLength >= 800000);
    assert.ok(heap.owns(early) && heap.owns(big));
    assert.ok(early.every((v) => v === 3));
    big[199999] = 5;
    assert.strictEqual(new Float32Array(heap.memory.buffer, big.byteOffset, 200000)[199999], 5);
  });

  it("kernels keep working on views taken before the memory grew", () => {
    for (const kernels of wasmBuilds()) {
      const x = kernels.alloc(8).fill(-1);
      // 64 MiB: more than the initial memory, so this forces a grow.
      const large = kernels.alloc(16 * 1024 * 1024);
      kernels.relu(x, x);
      assert.ok(x.every((v) => v === 0));
      kernels.free(large);
    }
  });

  it("getKernels caches one instance per configuration", () => {
    assert.strictEqual(getKernels({ threads: 2 }), getKernels({ threads: 2 }));
    assert.notStrictEqual(getKernels({ threads: 1 }), getKernels({ threads: 2 }));
    assert.strictEqual(getKernels({ implementation: "reference" }).name, "reference");
    assert.match(
      describeKernels({ threads: 2 }),
      /^wasm-simd kernels, 2 threads, 128-bit SIMD \(f32x4\) with relaxed-SIMD FMA$/,
    );
    assert.match(
      describeKernels({ threads: 1, relaxedSimd: false }),
      /^wasm-simd kernels, 1 thread, 128-bit SIMD \(f32x4\)$/,
    );
  });
});
