/**
 * `npm run predict -- [--model NAME] [--json] FILES...`: the digit in each image file, and the ten
 * probabilities, from a model trained by `npm run train`.
 *
 * Each file goes through the MNIST recipe (lib/intake: grayscale, ink detection, crop, scale to 20×20,
 * centre by mass), then all images are classified in one batch. A file that fails (unreadable, not an
 * image, blank) gets an error and the others are still processed; the exit code is then 1.
 *
 * Start-up matters here (one image in under a second): this script loads only the intake, the store's
 * loader and the model classes it needs, never lib/index (plots, TensorFlow.js, tslab).
 */
import { parseCommandLine, runMain } from "./cli";

export const PREDICT_USAGE = `Usage: npm run predict -- [--model NAME] [--json] FILES...

Reads each image (PNG or JPEG of one handwritten digit), turns it into an MNIST-style 28×28 image and
prints the predicted digit with the ten probabilities.

Options:
  --model NAME   a model saved by npm run train (default: the ensemble, else the best single model)
  --json         one JSON object per line: {"file", "digit", "probabilities"}, or {"file", "error"}
  --models DIR   folder of saved models (default: models/, or MNIST_MODELS_DIR)
  -h, --help     print this help and exit

Exit code 0 when every file was classified, 1 when any failed or no model is trained, 2 for bad usage.`;

interface Outcome {
  file: string;
  digit?: number;
  probabilities?: number[];
  error?: string;
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    "predict",
    PREDICT_USAGE,
    { model: { type: "string" }, json: { type: "boolean" }, models: { type: "string" } },
    process.argv.slice(2),
  );
  if (positionals.length === 0) {
    console.error(`predict: no image files given\n\n${PREDICT_USAGE}`);
    return 2;
  }
  const json = values.json === true;
  const { defaultModelName, loadSavedModel, savedModelCards } = await import("../lib/ensemble/load");
  const { defaultModelsRoot } = await import("../lib/store/model-store");
  const root = typeof values.models === "string" ? values.models : defaultModelsRoot();
  const name = typeof values.model === "string" ? values.model : defaultModelName(savedModelCards(root));
  if (name === null) {
    console.error(`predict: no trained model in ${root}: run \`npm run train\` first`);
    return 1;
  }
  let model;
  try {
    model = (await loadSavedModel(root, name)).model;
  } catch (err) {
    console.error(`predict: ${(err as Error).message}`);
    return 1;
  }

  const { readDigitFile } = await import("../lib/intake");
  const outcomes: Outcome[] = positionals.map((file) => ({ file }));
  const images: Float32Array[] = [];
  const classified: Outcome[] = [];
  for (const outcome of outcomes) {
    try {
      images.push(readDigitFile(outcome.file).pixels);
      classified.push(outcome);
    } catch (err) {
      outcome.error = (err as Error).message;
    }
  }
  if (images.length > 0) {
    const x = new Float32Array(images.length * 784);
    images.forEach((pixels, i) => x.set(pixels, i * 784));
    const probabilities = model.predictProba({ data: x, rows: images.length, cols: 784 });
    classified.forEach((outcome, i) => {
      const row = Array.from(probabilities.subarray(i * 10, i * 10 + 10));
      outcome.digit = row.indexOf(Math.max(...row));
      // Float32 sums are off by a few units in the 7th digit; summed in float64 they are 1.
      const total = row.reduce((a, b) => a + b, 0);
      outcome.probabilities = row.map((p) => p / total);
    });
  }

  if (json) {
    for (const o of outcomes)
      console.log(JSON.stringify(o.error === undefined ? o : { file: o.file, error: o.error }));
  } else {
    printTable(name, outcomes);
  }
  return outcomes.some((o) => o.error !== undefined) ? 1 : 0;
}

/** A table for people: file, digit, its probability, then all ten; failed files as error lines on stderr. */
function printTable(model: string, outcomes: Outcome[]): void {
  const good = outcomes.filter((o) => o.error === undefined);
  if (good.length > 0) {
    const width = Math.max(4, ...good.map((o) => o.file.length));
    const digits = Array.from({ length: 10 }, (_, d) => String(d).padStart(5)).join(" ");
    console.log(`model: ${model}`);
    console.log(`${"file".padEnd(width)}  digit  prob.  ${digits}`);
    for (const o of good) {
      const p = o.probabilities!;
      const all = p.map((v) => v.toFixed(3)).join(" ");
      console.log(
        `${o.file.padEnd(width)}  ${String(o.digit).padStart(5)}  ${p[o.digit!].toFixed(3)}  ${all}`,
      );
    }
  }
  for (const o of outcomes) if (o.error !== undefined) console.error(`predict: error: ${o.error}`);
}

if (require.main === module) runMain(main);
