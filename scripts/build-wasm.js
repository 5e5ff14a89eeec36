#!/usr/bin/env node
/**
 * Compiles assembly/ into dist/wasm/kernels.wasm with the project's own AssemblyScript compiler.
 * Compiler options (SIMD, threads, imported shared memory, stub runtime, -O3) live in asconfig.json.
 */
const { spawnSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const asc = path.join(root, "node_modules", "assemblyscript", "bin", "asc.js");
const result = spawnSync(process.execPath, [asc, "--config", "asconfig.json", "--target", "release"], {
  cwd: root,
  stdio: "inherit",
});
if (result.error) throw result.error;
if (result.status !== 0) {
  console.error(`build-wasm: asc exited with status ${result.status}`);
  process.exit(result.status ?? 1);
}
console.log("build-wasm: wrote dist/wasm/kernels.wasm");
