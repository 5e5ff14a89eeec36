/**
 * The app's HTTP server (fastify): the page, and a small JSON API behind it. Uploads arrive as raw
 * image bytes (one file per request), are size-limited by fastify before they are read in full, and are
 * decoded in memory with a pixel limit; nothing from an upload touches the disk except a sample the
 * person teaches, which is written only inside data/personal/<name>/. Bad input gets a 4xx answer with
 * `{ error }` saying what was wrong, and the server keeps serving.
 */
import * as fs from "fs";
import * as path from "path";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { decodeImage, ImageDecodeError, imageFormat } from "../../lib/intake/decode";
import { NoDigitError, toMnistDigit } from "../../lib/intake/mnist-recipe";
import { matrix } from "../../lib/matrix";
import { digitsInPicture } from "../../lib/personal/digits-in-picture";
import { labelFromFileName } from "../../lib/personal/personal-samples";
import { FineTuneJobs, FineTuneRequestError, type MnistForApp } from "./fine-tune-job";
import { UnknownModelError, type AppModels } from "./models";
import { renderPage } from "./page";

export interface AppOptions {
  models: AppModels;
  /** Folder of the people's samples: <personalRoot>/<name>/<digit>_*.png. */
  personalRoot: string;
  /** reports/dashboard.html is served at /dashboard when it exists. */
  reportsDir: string;
  /** Largest upload in bytes (default 5 MB). */
  maxUploadBytes?: number;
  /** Largest image in pixels, checked from its header before decoding (default 16 megapixels). */
  maxPixels?: number;
  /** Epochs of a fine-tuning (default 4). */
  fineTuneEpochs?: number;
  /** MNIST for fine-tuning's mix and its before/after check (default: read on first use). */
  mnist?: () => MnistForApp;
}

/** A request the person can fix: answered with `status` and the message. */
export class BadRequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "BadRequestError";
  }
}

const PERSON_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
const IMAGE_TYPES = ["image/png", "image/jpeg", "application/octet-stream"];

export async function createApp(options: AppOptions): Promise<FastifyInstance> {
  const { models, personalRoot, reportsDir } = options;
  const maxUploadBytes = options.maxUploadBytes ?? 5 * 1024 * 1024;
  const maxPixels = options.maxPixels ?? 16_000_000;
  const jobs = new FineTuneJobs(models, { epochs: options.fineTuneEpochs, mnist: options.mnist });
  const app = Fastify({ bodyLimit: maxUploadBytes, logger: false });

  app.addContentTypeParser(IMAGE_TYPES, { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const { status, message } = describeError(error, maxUploadBytes);
    if (status >= 500) console.error(error);
    reply.status(status).send({ error: message });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: `no such page: ${request.method} ${request.url}` });
  });

  app.get("/", async (request, reply) => {
    const wanted = (request.query as { model?: string }).model;
    const list = models.list();
    const chosen = wanted && list.some((m) => m.name === wanted) ? wanted : models.defaultName();
    const notice = wanted && chosen !== wanted ? `No model named "${wanted}"; showing ${chosen}.` : "";
    const canvasModel = list.find((m) => m.name === chosen)?.scratchCnn ? chosen : null;
    const weights = canvasModel
      ? ((await models.get(canvasModel)) as never as { saveWeights(): never })
      : null;
    reply.type("text/html; charset=utf-8");
    return renderPage({
      models: list,
      chosen,
      canvasWeights: weights ? weights.saveWeights() : null,
      notice,
      dashboard: fs.existsSync(path.join(reportsDir, "dashboard.html")),
    });
  });

  app.get("/favicon.ico", async (_request, reply) => reply.status(204).send());

  app.get("/api/models", async () => ({ models: models.list(), default: models.defaultName() }));

  app.post("/api/classify", async (request) => {
    const name = modelName(request.query, models.defaultName());
    const model = await models.get(name);
    const image = decodeUpload(request.body, maxPixels);
    const digits = digitsInPicture(image);
    const pixels = new Float32Array(digits.length * 784);
    digits.forEach((d, i) => pixels.set(d.pixels, i * 784));
    const probabilities = model.predictProba(matrix(pixels, digits.length, 784));
    return {
      model: name,
      width: image.width,
      height: image.height,
      digits: digits.map((d, i) => {
        const p = Array.from(probabilities.subarray(i * 10, (i + 1) * 10), (v) => Math.round(v * 1e4) / 1e4);
        return { box: d.box, prediction: p.indexOf(Math.max(...p)), probabilities: p };
      }),
    };
  });

  app.post("/api/teach", async (request) => {
    const query = request.query as { name?: string; label?: string };
    const dir = personDir(personalRoot, query.name);
    const label = checkLabel(query.label);
    const bytes = request.body;
    const format = bytes instanceof Buffer ? imageFormat(bytes) : null;
    // Refuses blank, all-dark and non-image pictures before anything is written.
    toMnistDigit(decodeUpload(bytes, maxPixels));
    fs.mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:.TZ]/g, "");
    const file = path.join(
      dir,
      `${label}_${stamp}-${Math.random().toString(36).slice(2, 6)}.${format === "png" ? "png" : "jpg"}`,
    );
    labelFromFileName(file);
    fs.writeFileSync(file, bytes as Buffer, { flag: "wx" });
    const shown = path.relative(process.cwd(), file);
    return { saved: shown.startsWith("..") ? file : shown, counts: countSamples(dir) };
  });

  app.get("/api/personal/:name", async (request) => {
    const { name } = request.params as { name: string };
    const dir = personDir(personalRoot, name);
    return { name, counts: countSamples(dir) };
  });

  app.post("/api/fine-tune", async (request) => {
    const body = (request.body ?? {}) as { name?: string; model?: string };
    const dir = personDir(personalRoot, body.name);
    if (!fs.existsSync(dir))
      throw new BadRequestError(`${body.name} has no samples yet: teach some digits first`);
    const job = await jobs.start(body.name!, dir, modelName({ model: body.model }, models.defaultName()));
    return job;
  });

  app.get("/api/fine-tune/:id", async (request) => {
    const job = jobs.get((request.params as { id: string }).id);
    if (!job) throw new BadRequestError("no such fine-tuning job", 404);
    return job;
  });

  app.get("/dashboard", async (_request, reply) => {
    const file = path.join(reportsDir, "dashboard.html");
    if (!fs.existsSync(file)) {
      reply.status(404).type("text/html; charset=utf-8");
      return "<p>No dashboard yet: <code>npm run report</code> (notebook 08) writes reports/dashboard.html.</p>";
    }
    reply.type("text/html; charset=utf-8");
    return fs.readFileSync(file);
  });

  return app;
}

/** Status and message for a thrown error: the person's mistakes are 4xx, with our message. */
function describeError(error: FastifyError, maxUploadBytes: number): { status: number; message: string } {
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return { status: 413, message: `the upload is larger than the limit of ${formatBytes(maxUploadBytes)}` };
  }
  if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    return {
      status: 415,
      message: `send the image's bytes as image/png, image/jpeg or application/octet-stream`,
    };
  }
  if (error instanceof BadRequestError || error instanceof FineTuneRequestError)
    return { status: error.status, message: error.message };
  if (error instanceof ImageDecodeError)
    return { status: 400, message: `not an image we can read: ${error.message}` };
  if (error instanceof NoDigitError) return { status: 400, message: error.message };
  if (error instanceof UnknownModelError) return { status: 404, message: error.message };
  if (error.statusCode && error.statusCode < 500) return { status: error.statusCode, message: error.message };
  return { status: 500, message: `the server failed: ${error.message}` };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

function decodeUpload(body: unknown, maxPixels: number) {
  if (!(body instanceof Buffer) || body.length === 0)
    throw new BadRequestError("the upload is empty: send a PNG or JPEG image's bytes");
  return decodeImage(body, { maxPixels });
}

function modelName(query: unknown, fallback: string | null): string {
  const name = (query as { model?: string }).model || fallback;
  if (!name) throw new BadRequestError("no models are saved yet", 404);
  return name;
}

function checkLabel(label: string | undefined): number {
  if (label === undefined || !/^[0-9]$/.test(label))
    throw new BadRequestError(`label must be one digit 0–9, got ${JSON.stringify(label ?? null)}`);
  return Number(label);
}

/** data/personal/<name>, after checking the name cannot reach outside data/personal. */
export function personDir(root: string, name: string | undefined): string {
  if (typeof name !== "string" || !PERSON_NAME.test(name)) {
    throw new BadRequestError(
      `name must be 1–40 letters, digits, "-" or "_" (a folder inside data/personal), got ${JSON.stringify(name ?? null)}`,
    );
  }
  const dir = path.resolve(root, name);
  const relative = path.relative(path.resolve(root), dir);
  if (relative.startsWith("..") || path.isAbsolute(relative) || relative === "")
    throw new BadRequestError(`${name} is outside data/personal`);
  return dir;
}

function countSamples(dir: string): number[] {
  const counts = new Array<number>(10).fill(0);
  if (!fs.existsSync(dir)) return counts;
  for (const file of fs.readdirSync(dir)) {
    const match = /^([0-9])_.*\.(png|jpe?g)$/i.exec(file);
    if (match) counts[Number(match[1])]++;
  }
  return counts;
}
