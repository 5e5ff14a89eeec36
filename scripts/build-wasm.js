#!/usr/bin/env node
/**
 * Compiles assembly/ with the project's own AssemblyScript compiler into dist/wasm/kernels.wasm
 * (128-bit SIMD) and dist/wasm/kernels-relaxed.wasm (the same plus relaxed-SIMD fused multiply-add,
 * used where the engine supports it; see lib/kernels/wasm-module.ts). Compiler options (threads,
 * imported shared memory, stub runtime, -O3) live in asconfig.json.
 */
const { spawnSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const asc = path.join(root, "node_modules", "assemblyscript", "bin", "asc.js");
for (const target of ["release", "relaxed"]) {
  const result = spawnSync(process.execPath, [asc, "--config", "asconfig.json", "--target", target], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(`build-wasm: asc (target ${target}) exited with status ${result.status}`);
    process.exit(result.status ?? 1);
  }
}
console.log("build-wasm: wrote dist/wasm/kernels.wasm and dist/wasm/kernels-relaxed.wasm");
