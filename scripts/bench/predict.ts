/**
 * `npm run predict` end to end, start-up included, as a person runs it: one image (target under 1 s) and
 * 1,000 images (target under 5 s), with the ensemble and with a single CNN, each a fresh process timed
 * from spawn to exit. Wall time is the target's measure; the CPU time of the same runs (user + system,
 * from /proc on Linux) is printed beside it, as it stretches less when other programs share the cores.
 *
 * The models: the trained ensemble of `npm run train` when models/ has one; otherwise stand-ins with the
 * same architectures (lib/ensemble/members.ts) trained for one epoch on 2,000 images in a temporary
 * folder. Prediction time depends on the architecture, not on how well the weights were trained.
 * The images: MNIST test digits drawn 4× larger, dark ink on white paper, as PNG files, so the intake
 * (decode, ink detection, crop, scale, centre) does its full work.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";
import { loadMnist } from "../../lib/data/mnist";
import { savedModelCards } from "../../lib/ensemble/load";
import { defaultModelsRoot, ModelStore } from "../../lib/store/model-store";
import { projectRoot } from "../../lib/paths";
import { spread } from "./rounds";
import type { BenchOptions, BenchRow } from "./types";

export const title = "npm run predict: start-up, intake and classification";

const PREDICT = path.join(__dirname, "..", "predict.js");
/** Pixels per MNIST pixel in the test images (112×112). */
const SCALE = 4;

export async function run({ quick, rounds: asked }: BenchOptions): Promise<BenchRow[]> {
  const rounds = asked ?? (quick ? 3 : 7);
  const manyImages = quick ? 200 : 1000;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-predict-"));
  try {
    const { root, note } = await modelsFolder(work);
    const images = writeDigitImages(path.join(work, "images"), manyImages);
    const single = bestSingleModel(root);
    const cases: { name: string; command: string[]; target?: string }[] = [
      { name: "1 image, ensemble", command: ["node", PREDICT, images[0]], target: "< 1 s" },
      {
        name: "1 image, ensemble, through npm run predict",
        command: ["npm", "run", "--silent", "predict", "--", images[0]],
        target: "< 1 s",
      },
      { name: `1 image, ${single}`, command: ["node", PREDICT, "--model", single, images[0]] },
      {
        name: `${manyImages.toLocaleString("en")} images, ensemble`,
        command: ["node", PREDICT, ...images],
        target: manyImages === 1000 ? "< 5 s" : undefined,
      },
    ];
    const rows: BenchRow[] = [];
    for (const { name, command, target } of cases) {
      const env = { ...process.env, MNIST_MODELS_DIR: root };
      const runs = Array.from({ length: rounds }, () => timedRun(command, env));
      const wall = spread(runs.map((r) => r.wallSeconds));
      const cpu = runs.every((r) => r.cpuSeconds !== undefined)
        ? spread(runs.map((r) => r.cpuSeconds!))
        : undefined;
      rows.push({
        group: "predict",
        name,
        value: wall.median,
        min: wall.min,
        max: wall.max,
        rounds: wall.rounds,
        unit: "s",
        target,
        note: [cpu ? `CPU ${cpu.median.toFixed(2)} s` : "", note].filter(Boolean).join("; "),
      });
      console.log(`  ${name}: ${wall.median.toFixed(2)} s (${wall.min.toFixed(2)}–${wall.max.toFixed(2)})`);
    }
    return rows;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The trained models when there is an ensemble, else stand-ins trained into `work`. */
async function modelsFolder(work: string): Promise<{ root: string; note: string }> {
  const trained = defaultModelsRoot();
  if (savedModelCards(trained).some((card) => card.implementation === "ensemble"))
    return { root: trained, note: `models in ${path.relative(projectRoot(), trained) || trained}` };
  const root = path.join(work, "models");
  console.log("  no trained ensemble: training stand-ins of the same architectures for a moment");
  const { finalMemberSpecs, loadFinalData, trainFinalModels } = await import("../../lib/ensemble");
  const specs = finalMemberSpecs().map((spec) => ({ ...spec, epochs: 1, augmentation: null }));
  await trainFinalModels(new ModelStore({ root, verbose: false }), specs, loadFinalData({ quick: true }), {
    log: () => {},
    verbose: false,
  });
  return { root, note: "stand-in models (same architectures, briefly trained)" };
}

/** The single model `predict` would pick without an ensemble: the best by validation accuracy. */
function bestSingleModel(root: string): string {
  const singles = savedModelCards(root).filter((card) => card.implementation !== "ensemble");
  const accuracy = (card: (typeof singles)[number]) => Number(card.metrics?.validationAccuracy ?? 0);
  return [...singles].sort((a, b) => accuracy(b) - accuracy(a))[0].name;
}

/** `count` MNIST test digits as 112×112 PNGs, dark on white; returns their paths. */
function writeDigitImages(dir: string, count: number): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const { test } = loadMnist({ trainLimit: 1, testLimit: count });
  const side = 28 * SCALE;
  return Array.from({ length: count }, (_, i) => {
    const png = new PNG({ width: side, height: side });
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const ink = test.images[i * 784 + Math.floor(y / SCALE) * 28 + Math.floor(x / SCALE)];
        const gray = 255 - ink;
        png.data.fill(gray, (y * side + x) * 4, (y * side + x) * 4 + 3);
        png.data[(y * side + x) * 4 + 3] = 255;
      }
    }
    const file = path.join(dir, `${String(i).padStart(4, "0")}.png`);
    fs.writeFileSync(file, PNG.sync.write(png));
    return file;
  });
}

/** One run of `command` in the project folder: wall seconds from spawn to exit, and its CPU seconds. */
function timedRun(command: string[], env: NodeJS.ProcessEnv): { wallSeconds: number; cpuSeconds?: number } {
  const cpuBefore = childrenCpuSeconds();
  const started = process.hrtime.bigint();
  const result = spawnSync(command[0], command.slice(1), { cwd: projectRoot(), env, encoding: "utf8" });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0)
    throw new Error(`bench predict: ${command.join(" ")} failed (${result.status}):\n${result.stderr}`);
  const cpuAfter = childrenCpuSeconds();
  return {
    wallSeconds,
    cpuSeconds: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
  };
}

let clockTicks: number | undefined;

/**
 * User + system CPU seconds of this process's finished children (cutime + cstime of /proc/self/stat,
 * in clock ticks); undefined where there is no /proc.
 */
function childrenCpuSeconds(): number | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync("/proc/self/stat", "utf8");
  } catch {
    return undefined;
  }
  clockTicks ??= Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  // Fields after the command name (which may hold spaces, inside parentheses): cutime and cstime are
  // fields 16 and 17 of the line, so 14 and 15 of what follows ") ".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / clockTicks;
}
