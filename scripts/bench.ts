/**
 * `npm run bench`: runs every benchmark module in scripts/bench/, prints a markdown table and writes
 * reports/bench.json and reports/bench.md. `--quick` (or BENCH_QUICK=1) shrinks every measurement.
 * `--only NAME` runs modules whose file name contains NAME.
 */
import * as fs from "fs";
import * as path from "path";
import * as os from "os";
import type { BenchModule, BenchRow } from "./bench/types";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick") || process.env.BENCH_QUICK === "1";
  const onlyIndex = args.indexOf("--only");
  const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
  const benchDir = path.join(__dirname, "bench");
  const files = fs
    .readdirSync(benchDir)
    .filter((f) => f.endsWith(".js") && f !== "types.js")
    .filter((f) => !only || f.includes(only))
    .sort();
  const rows: BenchRow[] = [];
  for (const file of files) {
    const mod = require(path.join(benchDir, file)) as BenchModule;
    if (typeof mod.run !== "function") continue;
    console.log(`\n## ${mod.title}`);
    const started = Date.now();
    const result = await mod.run({ quick });
    console.log(formatTable(result));
    console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
    rows.push(...result);
  }
  const machine = `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, Node ${process.version}`;
  const outDir = path.resolve(__dirname, "..", "..", "reports");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(
    path.join(outDir, "bench.json"),
    JSON.stringify({ date: new Date().toISOString(), machine, quick, rows }, null, 2) + "\n",
  );
  const markdown = `# Benchmarks\n\n${machine}${quick ? " (quick mode)" : ""}, ${new Date().toISOString()}\n\n${formatTable(rows)}\n`;
  fs.writeFileSync(path.join(outDir, "bench.md"), markdown);
  console.log(`\nWrote ${path.join(outDir, "bench.json")} and bench.md`);
}

function formatTable(rows: BenchRow[]): string {
  const header = "| group | measurement | ours | peer | peer value | ratio | target | note |\n|---|---|---|---|---|---|---|---|";
  const lines = rows.map((r) =>
    [
      r.group,
      r.name,
      `${fmt(r.value)} ${r.unit}`,
      r.peer ?? "",
      r.peerValue !== undefined ? `${fmt(r.peerValue)} ${r.unit}` : "",
      r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : "",
      r.target ?? "",
      r.note ?? "",
    ].join(" | "),
  );
  return [header, ...lines.map((l) => `| ${l} |`)].join("\n");
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
