/** The worker pool behind the 2-thread build: split results, and workers that never hold the process. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { ThreadPool } from "../../lib/kernels/thread-pool";
import { instantiate, loadKernelModule } from "../../lib/kernels/wasm-module";
import { Random } from "../../lib/random";
import { randomArray, wasmBuilds } from "./helpers";

describe("kernel threads", () => {
  it("a GEMM split over two threads equals the single-thread result bit for bit", () => {
    const [single, double] = wasmBuilds();
    const random = new Random(13);
    // Wide (column split) and tall (row split), both far above the splitting threshold.
    for (const [m, n, k] of [[64, 300, 250], [300, 40, 410]]) {
      const a = randomArray(random, m * k);
      const b = randomArray(random, k * n);
      const expected = single.alloc(m * n);
      single.gemm(false, true, m, n, k, 1.5, a, b.slice(), 0, expected);
      const actual = double.alloc(m * n);
      double.gemm(false, true, m, n, k, 1.5, a, b.slice(), 0, actual);
      assert.deepStrictEqual(actual, expected, `m=${m} n=${n} k=${k}`);
    }
  });

  it("a worker's failure reaches the caller as an exception, and the pool keeps working", () => {
    const module = loadKernelModule()?.module;
    assert.ok(module, "dist/wasm/kernels.wasm must be built");
    // 4 MiB: room for one gemm's packing scratch at 8 KiB.
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true });
    const pool = new ThreadPool(instantiate(module, memory), module, memory, [8192, 8192], 2);
    // A 1×1×1 product whose operands sit at 1 GiB, far outside the 4 MiB memory: whoever runs it traps.
    const outside = 2 ** 30;
    const gemmAt = (a: number, c: number) => [0, 0, 1, 1, 1, 1, a, 1, a, 1, 0, c, 1];
    assert.throws(
      () => pool.run([{ operation: "gemm", args: gemmAt(outside, outside) }, { operation: "gemm", args: gemmAt(outside, outside) }]),
      /RuntimeError: memory access out of bounds/,
    );
    // Afterwards the pool still serves: 3 · 3 = 9 (both jobs write the same value).
    const values = new Float32Array(memory.buffer, 1024, 2);
    values[0] = 3;
    pool.run([{ operation: "gemm", args: gemmAt(1024, 1028) }, { operation: "gemm", args: gemmAt(1024, 1028) }]);
    assert.strictEqual(values[1], 9);
  });

  it("idle workers do not keep the process alive", function () {
    this.timeout(30000);
    const index = path.resolve(__dirname, "../../lib/kernels/index.js");
    const script = `
      const { getKernels } = require(${JSON.stringify(index)});
      const kernels = getKernels({ threads: 2 });
      const a = kernels.alloc(300 * 300).fill(1);
      const c = kernels.alloc(300 * 300);
      kernels.gemm(false, false, 300, 300, 300, 1, a, a, 0, c);
      console.log(c[0]);`;
    const result = spawnSync(process.execPath, ["-e", script], { timeout: 20000, encoding: "utf8" });
    assert.strictEqual(result.signal, null, "the child had to be killed: its workers kept it alive");
    assert.strictEqual(result.status, 0, result.stderr);
    assert.strictEqual(result.stdout.trim(), "300");
  });
});
