/**
 * `npm run bench`: runs every benchmark module in scripts/bench/, prints a markdown table and writes
 * reports/bench.json and reports/bench.md. Every headline figure is the median of interleaved rounds
 * (ours, peer, ours, peer, …) with min and max beside it, and every ratio is of medians.
 * `npm run bench -- --help` lists the options.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import type { BenchModule, BenchRow } from "./bench/types";

const MODULES_DIR = path.join(__dirname, "bench");
const HELPERS = new Set(["types.js", "rounds.js"]);

const USAGE = `Usage: npm run bench -- [options]

Measures our engine against peers in the same run, in interleaved rounds; writes reports/bench.json
and reports/bench.md.

  --only NAME            run only the modules whose file name contains NAME (${moduleNames().join(", ")})
  --quick                small sizes and few rounds (also BENCH_QUICK=1)
  --rounds N             interleaved rounds per measurement (default: each module's own, 3 to 15)
  --no-accuracy-preset   speedrun: skip the accuracy preset's training run (many minutes)
  --help                 print this help and exit

Example: npm run bench -- --only speedrun    # the speed preset over 5 seeds and the accuracy preset`;

function moduleNames(): string[] {
  if (!fs.existsSync(MODULES_DIR)) return [];
  return fs
    .readdirSync(MODULES_DIR)
    .filter((f) => f.endsWith(".js") && !HELPERS.has(f))
    .map((f) => f.slice(0, -3))
    .sort();
}

interface BenchArgs {
  only?: string;
  quick: boolean;
  rounds?: number;
  accuracyPreset: boolean;
}

function parseBenchArgs(argv: string[]): BenchArgs | "help" {
  try {
    return checkBenchArgs(argv);
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    throw new Error(`${message.startsWith("bench:") ? message : `bench: ${message}`} (see --help)`);
  }
}

function checkBenchArgs(argv: string[]): BenchArgs | "help" {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      only: { type: "string" },
      quick: { type: "boolean" },
      rounds: { type: "string" },
      "no-accuracy-preset": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  let rounds: number | undefined;
  if (values.rounds !== undefined) {
    rounds = Number(values.rounds);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100)
      throw new Error(`bench: --rounds must be an integer from 1 to 100, got "${values.rounds}"`);
  }
  if (values.only !== undefined && !moduleNames().some((name) => name.includes(values.only!))) {
    throw new Error(
      `bench: --only "${values.only}" matches no module; the modules are ${moduleNames().join(", ")}`,
    );
  }
  return {
    only: values.only,
    quick: Boolean(values.quick) || process.env.BENCH_QUICK === "1",
    rounds,
    accuracyPreset: !values["no-accuracy-preset"],
  };
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args === "help") {
    console.log(USAGE);
    return;
  }
  const rows: BenchRow[] = [];
  for (const name of moduleNames().filter((n) => !args.only || n.includes(args.only))) {
    const mod = require(path.join(MODULES_DIR, `${name}.js`)) as BenchModule;
    if (typeof mod.run !== "function") continue;
    console.log(
      `\n## ${mod.title}  (load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(", ")})`,
    );
    const started = Date.now();
    const result = await mod.run({
      quick: args.quick,
      rounds: args.rounds,
      accuracyPreset: args.accuracyPreset,
    });
    console.log(formatTable(result));
    console.log(
      `(${((Date.now() - started) / 1000).toFixed(1)} s; load average now ${os.loadavg()[0].toFixed(1)})`,
    );
    rows.push(...result);
  }
  const machine = `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, Node ${process.version}`;
  const outDir = path.resolve(__dirname, "..", "..", "reports");
  fs.mkdirSync(outDir, { recursive: true });
  const date = new Date().toISOString();
  const load = os.loadavg();
  fs.writeFileSync(
    path.join(outDir, "bench.json"),
    JSON.stringify({ date, machine, load, quick: args.quick, rows }, null, 2) + "\n",
  );
  const markdown =
    `# Benchmarks\n\n${machine}${args.quick ? " (quick mode)" : ""}, ${date}, load average at the end ` +
    `${load.map((l) => l.toFixed(1)).join(", ")}\n\n` +
    "Figures are medians of interleaved rounds (min–max beside them); ratios are of medians, " +
    "above 1 when ours is better (faster or more accurate).\n\n" +
    `${formatTable(rows)}\n`;
  fs.writeFileSync(path.join(outDir, "bench.md"), markdown);
  console.log(`\nWrote ${path.relative(process.cwd(), path.join(outDir, "bench.json"))} and bench.md`);
}

function formatTable(rows: BenchRow[]): string {
  const header =
    "| group | measurement | ours (median) | min–max | rounds | peer | peer (median) | peer min–max | ratio | target | note |\n" +
    "|---|---|---|---|---|---|---|---|---|---|---|";
  const range = (min?: number, max?: number, unit?: string) =>
    min !== undefined && max !== undefined ? `${fmt(min, unit)}–${fmt(max, unit)}` : "";
  const lines = rows.map((r) =>
    [
      r.group,
      r.name,
      `${fmt(r.value, r.unit)} ${r.unit}`,
      range(r.min, r.max, r.unit),
      r.rounds ?? "",
      r.peer ?? "",
      r.peerValue !== undefined ? `${fmt(r.peerValue, r.unit)} ${r.unit}` : "",
      range(r.peerMin, r.peerMax, r.unit),
      r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : "",
      r.target ?? "",
      r.note ?? "",
    ].join(" | "),
  );
  return [header, ...lines.map((l) => `| ${l} |`)].join("\n");
}

/** Three significant digits or so; accuracies keep two decimals, as 99.15% and 99.24% differ. */
function fmt(v: number, unit?: string): string {
  if (!Number.isFinite(v)) return String(v);
  if (unit === "%") return v.toFixed(2);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(/^bench: .*\(see --help\)$/.test(error?.message) ? 2 : 1);
});
