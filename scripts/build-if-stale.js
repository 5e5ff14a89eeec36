#!/usr/bin/env node
/**
 * Runs `npm run build` only when a source is newer than the build, so `npm run predict` starts in a
 * fraction of a second when nothing changed (a full build takes about a minute here). Sources: lib/,
 * scripts/, tests/, assembly/ and the build's configuration; the build: dist/lib/index.js and
 * dist/wasm/kernels.wasm, which every build writes. Its progress goes to stderr, keeping stdout for
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

function oldestBuilt() {
  const built = ["dist/lib/index.js", "dist/wasm/kernels.wasm"].map((f) => path.join(root, f));
  return Math.min(...built.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)));
}

const sources = ["lib", "scripts", "tests", "assembly", "tsconfig.json", "asconfig.json", "package.json"];
const newestSource = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
if (newestSource > oldestBuilt()) {
  console.error("build-if-stale: sources changed since the last build; running npm run build");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["run", "build"], { cwd: root, stdio: ["ignore", 2, 2] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
