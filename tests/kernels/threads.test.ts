/** The worker pool behind the 2-thread build: split results, and workers that never hold the process. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { getKernels } from "../../lib/kernels";
import { EXPORT_SIGNATURES, OPERATIONS, checkExports } from "../../lib/kernels/exports";
import type { JobArgs } from "../../lib/kernels/exports";
import { ThreadPool } from "../../lib/kernels/thread-pool";
import { instantiate, loadKernelModule } from "../../lib/kernels/wasm-module";
import { Random } from "../../lib/random";
import { randomArray, wasmBuilds } from "./helpers";

describe("kernel threads", () => {
  it("a GEMM split over two threads equals the single-thread result bit for bit", () => {
    const [single, double] = wasmBuilds();
    const random = new Random(13);
    // Wide (column split) and tall (row split), both far above the splitting threshold.
    for (const [m, n, k] of [
      [64, 300, 250],
      [300, 40, 410],
    ]) {
      const a = randomArray(random, m * k);
      const b = randomArray(random, k * n);
      const expected = single.alloc(m * n);
      single.gemm(false, true, m, n, k, 1.5, a, b.slice(), 0, expected);
      const actual = double.alloc(m * n);
      double.gemm(false, true, m, n, k, 1.5, a, b.slice(), 0, actual);
      assert.deepStrictEqual(actual, expected, `m=${m} n=${n} k=${k}`);
    }
  });

  it("starts the worker threads only for the first call that is split, not for small calls", function () {
    this.timeout(30000);
    const index = path.resolve(__dirname, "../../lib/kernels/index.js");
    // In a child: getKernels caches one instance per configuration, which other tests have split calls on.
    const script = `
      const { getKernels } = require(${JSON.stringify(index)});
      const kernels = getKernels({ threads: 2 });
      const started = () => kernels.pool !== undefined;
      const small = kernels.alloc(16).fill(1);
      kernels.gemm(false, false, 4, 4, 4, 1, small, small, 0, kernels.alloc(16));
      const afterSmall = started();
      const a = kernels.alloc(300 * 300).fill(1);
      const c = kernels.alloc(300 * 300);
      kernels.gemm(false, false, 300, 300, 300, 1, a, a, 0, c);
      console.log(afterSmall, started(), c[0]);`;
    const result = spawnSync(process.execPath, ["-e", script], { timeout: 20000, encoding: "utf8" });
    assert.strictEqual(result.status, 0, result.stderr);
    assert.strictEqual(result.stdout.trim(), "false true 300");
  });

  it("a worker's failure reaches the caller as an exception, and the pool keeps working", () => {
    const module = loadKernelModule()?.module;
    assert.ok(module, "dist/wasm/kernels.wasm must be built");
    // 4 MiB: room for one gemm's packing scratch at 8 KiB.
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true });
    const pool = new ThreadPool(instantiate(module, memory), module, memory, [8192, 8192], 2);
    // A 1×1×1 product whose operands sit at 1 GiB, far outside the 4 MiB memory: whoever runs it traps.
    const outside = 2 ** 30;
    const gemmAt = (a: number, c: number): JobArgs<"gemm"> => [0, 0, 1, 1, 1, 1, a, 1, a, 1, 0, c, 1];
    assert.throws(
      () =>
        pool.run([
          { operation: "gemm", args: gemmAt(outside, outside) },
          { operation: "gemm", args: gemmAt(outside, outside) },
        ]),
      /RuntimeError: memory access out of bounds/,
    );
    // Afterwards the pool still serves: 3 · 3 = 9 (both jobs write the same value).
    const values = new Float32Array(memory.buffer, 1024, 2);
    values[0] = 3;
    pool.run([
      { operation: "gemm", args: gemmAt(1024, 1028) },
      { operation: "gemm", args: gemmAt(1024, 1028) },
    ]);
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

  it("a worker that dies fails the pending call with an error naming the worker and the call, instead of hanging", function () {
    this.timeout(60000);
    // In a child process: with the old pool the call below waits forever, so only a timeout would end it.
    const dir = path.resolve(__dirname, "../../lib/kernels");
    const script = `
      const { ThreadPool } = require(${JSON.stringify(path.join(dir, "thread-pool.js"))});
      const { instantiate, loadKernelModule } = require(${JSON.stringify(path.join(dir, "wasm-module.js"))});
      const { module } = loadKernelModule();
      const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true });
      const pool = new ThreadPool(instantiate(module, memory), module, memory, [8192, 8192, 16384], 3);
      const gemm = { operation: "gemm", args: [0, 0, 1, 1, 1, 1, 1024, 1, 1024, 1, 0, 1028, 1] };
      pool.workers[1].terminate().then(() => {
        for (let attempt = 0; attempt < 2; attempt++) {
          try {
            pool.run([gemm, gemm, gemm]);
            console.log("returned");
          } catch (error) {
            console.log(error.message);
          }
        }
      });`;
    const result = spawnSync(process.execPath, ["-e", script], { timeout: 30000, encoding: "utf8" });
    assert.strictEqual(
      result.signal,
      null,
      "the child had to be killed: the call waited for the dead worker",
    );
    assert.strictEqual(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    assert.strictEqual(lines.length, 2, result.stdout);
    // Both calls fail at once, naming the worker, how it ended and the call.
    for (const line of lines)
      assert.match(line, /^kernel worker 2 exited with code 1 .*cannot run a gemm call \(3 jobs\)/);
  });

  it("caps threads at 4 per core with a message naming the cap and the cores", () => {
    const cores = os.availableParallelism();
    for (const threads of [4 * cores + 1, 400, 1000]) {
      assert.throws(
        () => getKernels({ threads }),
        (error: Error) =>
          error instanceof RangeError &&
          error.message ===
            `kernels: threads must be at most ${4 * cores} (4 per core, ${cores} cores here), got ${threads}`,
      );
    }
    assert.throws(() => getKernels({ threads: 0 }), /kernels: threads must be a positive integer, got 0/);
    assert.throws(() => getKernels({ threads: 1.5 }), /kernels: threads must be a positive integer, got 1.5/);
    assert.throws(
      () => getKernels({ threads: "2" as unknown as number }),
      /kernels: threads must be a positive integer, got "2"/,
    );
    assert.throws(
      () => getKernels({ thread: 2 } as object),
      /getKernels: unknown option "thread" \(did you mean "threads"\?\)/,
    );
    assert.strictEqual(getKernels({ threads: 2 }).threads, 2);
  });
});

describe("kernel export signatures", () => {
  it("the table matches the compiled module, and a mismatch is reported by name", () => {
    const module = loadKernelModule()?.module;
    assert.ok(module, "dist/wasm/kernels.wasm must be built");
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true });
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, unknown>;
    checkExports(exports);
    assert.throws(
      () => checkExports({ ...exports, relu: (x: number, out: number) => x + out }),
      /kernels module: relu takes 2 parameters but lib\/kernels\/exports.ts lists 3 \(x, out, length\)/,
    );
    const { gemm: _gemm, ...withoutGemm } = exports;
    assert.throws(() => checkExports(withoutGemm), /export gemm is missing/);
    // Jobs may name every export but the two the caller queries itself.
    assert.deepStrictEqual(
      [
        ...OPERATIONS,
        "gemmScratchBytes",
        "maxPoolCheckArgmax",
        "winogradFilterFloats",
        "winogradWorkspaceBytes",
      ].sort(),
      Object.keys(EXPORT_SIGNATURES).sort(),
    );
  });
});
