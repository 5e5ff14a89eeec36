/**
 * `npm run app`: the local web page for one's own handwriting — draw or upload digits, pick a model,
 * teach it your hand and fine-tune it — served on 127.0.0.1 only. Prints the URL once it is ready.
 */
import * as path from "path";
import { projectRoot } from "../lib/paths";
import { exitWithUsage, parseCli } from "./cli";
import { AppModels } from "./app/models";
import { createApp } from "./app/server";

const DEFAULT_PORT = 8321;

const USAGE = `Usage: npm run app -- [options]

Serves the handwriting app on http://127.0.0.1:PORT (drawing canvas, image upload, model picker,
"teach me" fine-tuning, the results dashboard). Models come from the model store (models/, or
MNIST_MODELS_DIR); with none saved, a speed-preset CNN is trained once and saved.

  --port N             port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --models DIR         the model store's folder (default: models/ or MNIST_MODELS_DIR)
  --personal DIR       where taught samples go (default data/personal)
  --max-upload-mb X    largest upload accepted, in MB (default 5)
  --train-limit N      train the fallback model on the first N MNIST images only (default all)
  --help               print this help and exit`;

async function main(): Promise<void> {
  const values = parseCli(
    "app",
    USAGE,
    {
      port: { type: "string" },
      models: { type: "string" },
      personal: { type: "string" },
      "max-upload-mb": { type: "string" },
      "train-limit": { type: "string" },
    },
    process.argv.slice(2),
  );
  const port = integerFlag("port", values.port as string | undefined, DEFAULT_PORT, 0, 65535);
  const trainLimit = values["train-limit"]
    ? integerFlag("train-limit", values["train-limit"] as string, 0, 100, 60000)
    : undefined;
  const maxUploadMb = Number(values["max-upload-mb"] ?? 5);
  if (!(maxUploadMb > 0 && maxUploadMb <= 100))
    fail(`--max-upload-mb must be a number in (0, 100], got ${values["max-upload-mb"]}`);
  const root = projectRoot();
  const models = new AppModels({ root: values.models as string | undefined });
  await models.ensureOne((line) => console.log(line), trainLimit);
  const app = await createApp({
    models,
    personalRoot: path.resolve(
      (values.personal as string | undefined) ?? path.join(root, "data", "personal"),
    ),
    reportsDir: path.join(root, "reports"),
    maxUploadBytes: Math.round(maxUploadMb * 1024 * 1024),
  });
  await app.listen({ host: "127.0.0.1", port });
  const address = app.server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  console.log(`${models.list().length} models in ${models.root}`);
  console.log(`http://127.0.0.1:${actual}`);
}

function integerFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`--${name} must be an integer from ${min} to ${max}, got ${value}`);
  return n;
}

function fail(message: string): never {
  exitWithUsage("app", message, USAGE);
}

main().catch((err) => {
  console.error(`app: ${(err as Error).message}`);
  process.exit(1);
});
