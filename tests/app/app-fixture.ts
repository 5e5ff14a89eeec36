/**
 * Shared by the app's tests: one small trained CNN per test process (the speed preset on 12,000 MNIST
 * images, about 98% accurate in a few seconds), and the app started on a free port over temporary
 * folders (model store, data/personal, reports), so a test never touches the project's own folders.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";
import { loadMnist } from "../../lib/data/mnist";
import { toMatrix } from "../../lib/data/dataset";
import type { GrayImage } from "../../lib/intake/decode";
import { CnnClassifier } from "../../lib/models/scratch/cnn-classifier";
import { AppModels } from "../../scripts/app/models";
import { createApp, type AppOptions } from "../../scripts/app/server";
import type { MnistForApp } from "../../scripts/app/fine-tune-job";

export const TEST_MODEL = "test-speed-cnn";

let trained: Promise<CnnClassifier> | null = null;

export function trainedModel(): Promise<CnnClassifier> {
  trained ??= (async () => {
    const { train } = loadMnist({ trainLimit: 12000, testLimit: 1 });
    // Batch 64: on a fifth of MNIST the preset's batch of 128 (tuned on 55,000 images) leaves too few steps.
    const model = new CnnClassifier({ preset: "speed", seed: 1, batchSize: 64 });
    return model.fit(toMatrix(train), train.labels);
  })();
  return trained;
}

/** A small MNIST for fine-tuning's mix and check: 2,000 training images past the model's, 500 test images. */
export function smallMnist(): MnistForApp {
  const data = loadMnist({ trainLimit: 14000, testLimit: 500 });
  const train = toMatrix(data.train);
  return {
    train: {
      x: { data: train.data.slice(12000 * 784), rows: 2000, cols: 784 },
      y: data.train.labels.slice(12000),
    },
    test: { x: toMatrix(data.test), y: data.test.labels },
  };
}

export interface TestApp {
  url: string;
  personalRoot: string;
  modelsRoot: string;
  close(): Promise<void>;
}

export async function startTestApp(options: Partial<AppOptions> = {}): Promise<TestApp> {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-app-"));
  const modelsRoot = path.join(top, "models");
  const personalRoot = path.join(top, "data", "personal");
  const models = new AppModels({ root: modelsRoot });
  await models.add(TEST_MODEL, await trainedModel(), { metrics: { validationAccuracy: 0.98 } });
  const app = await createApp({
    models,
    personalRoot,
    reportsDir: path.join(top, "reports"),
    mnist: smallMnist,
    ...options,
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    personalRoot,
    modelsRoot,
    close: async () => {
      await app.close();
      fs.rmSync(top, { recursive: true, force: true });
    },
  };
}

/** A gray image as PNG bytes. */
export function pngBytes(image: GrayImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  for (let i = 0; i < image.data.length; i++) {
    const v = Math.round(255 * image.data[i]);
    png.data.set([v, v, v, 255], 4 * i);
  }
  return PNG.sync.write(png);
}

/** MNIST test digits drawn dark on white paper, side by side, `scale` pixels per MNIST pixel. */
export function paperOfDigits(digits: Float32Array[], scale = 3, gap = 20): GrayImage {
  const side = 28 * scale;
  const width = digits.length * (side + gap) + gap;
  const height = side + 2 * gap;
  const data = new Float32Array(width * height).fill(0.95);
  digits.forEach((digit, k) => {
    const left = gap + k * (side + gap);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const ink = digit[Math.floor(y / scale) * 28 + Math.floor(x / scale)];
        data[(gap + y) * width + left + x] = 0.95 - 0.85 * ink;
      }
    }
  });
  return { width, height, data };
}
