#!/usr/bin/env node
/**
 * Runs `npm run build` only when a source is newer than the build, so `npm run predict` starts in a
 * fraction of a second when nothing changed (a full build takes about a minute here). Sources: lib/,
 * scripts/, tests/ and the TypeScript configuration against dist/lib/index.js (tsc writes it every
 * build), assembly/ against dist/wasm/kernels.wasm. Its progress goes to stderr, keeping stdout for
 * the command's own output (e.g. predict --json).
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");

function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

function builtAt(file) {
  const full = path.join(root, file);
  return fs.existsSync(full) ? fs.statSync(full).mtimeMs : 0;
}

// Each output against its own sources: tsc alone (npm run watch) refreshes dist/lib, not the wasm.
const newest = (sources) => Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
const typescriptStale =
  newest(["lib", "scripts", "tests", "tsconfig.json", "package.json"]) > builtAt("dist/lib/index.js");
const wasmStale = newest(["assembly", "asconfig.json"]) > builtAt("dist/wasm/kernels.wasm");
if (typescriptStale || wasmStale) {
  console.error("build-if-stale: sources changed since the last build; running npm run build");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["run", "build"], { cwd: root, stdio: ["ignore", 2, 2] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
