/**
 * `npm run app`'s HTTP API in Node: the page, classification of uploaded images (one digit, several
 * digits left to right), and every kind of bad input answered with a clear 4xx message, nothing
 * written where it should not be, and the server still serving afterwards.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { loadMnist } from "../../lib/data/mnist";
import { toMatrix } from "../../lib/data/dataset";
import { syntheticPerson, drawDigit } from "../../lib/personal";
import { Random } from "../../lib/random";
import { paperOfDigits, pngBytes, startTestApp, trainedModel, TEST_MODEL, type TestApp } from "./app-fixture";

async function post(url: string, body: Buffer | string, type = "application/octet-stream") {
  const response = await fetch(url, { method: "POST", headers: { "content-type": type }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) =>
    fs.statSync(path.join(dir, f)).isFile(),
  );
}

describe("app: HTTP API", function () {
  this.timeout(240_000);
  let app: TestApp;
  let digits: Float32Array[];
  let labels: number[];

  before(async () => {
    app = await startTestApp({ maxUploadBytes: 300 * 1024, maxPixels: 4_000_000 });
    const test = loadMnist({ trainLimit: 1, testLimit: 40 }).test;
    const x = toMatrix(test);
    // Test digits the model reads confidently from their MNIST pixels: the API must read them the same.
    const model = await trainedModel();
    const probabilities = model.predictProba(x);
    digits = [];
    labels = [];
    for (let i = 0; i < test.count && digits.length < 4; i++) {
      const p = probabilities[i * 10 + test.labels[i]];
      if (p > 0.995 && !labels.includes(test.labels[i])) {
        digits.push(x.data.slice(i * 784, (i + 1) * 784));
        labels.push(test.labels[i]);
      }
    }
  });
  after(async () => app?.close());

  it("serves the page with the canvas, the model picker and the upload and teach controls", async () => {
    const response = await fetch(app.url + "/");
    assert.equal(response.status, 200);
    const html = await response.text();
    for (const id of [
      "draw-canvas",
      "clear",
      "prediction",
      "probabilities",
      "model-picker",
      "upload",
      "teach-save",
    ])
      assert.ok(html.includes(`data-testid="${id}"`), `the page lacks data-testid="${id}"`);
    assert.ok(html.includes(`value="${TEST_MODEL}" selected`));
    assert.doesNotMatch(html, /<script[^>]+src=/, "nothing is fetched from elsewhere");
    const models = (await (await fetch(app.url + "/api/models")).json()) as { models: { name: string }[] };
    assert.deepEqual(
      models.models.map((m) => m.name),
      [TEST_MODEL],
    );
  });

  it("classifies an uploaded digit, and a picture of several digits left to right with boxes", async () => {
    const one = await post(app.url + "/api/classify", pngBytes(paperOfDigits([digits[0]], 4)), "image/png");
    assert.equal(one.status, 200, JSON.stringify(one.body));
    const read = one.body.digits as { prediction: number; probabilities: number[]; box: { x: number } }[];
    assert.equal(read.length, 1);
    assert.equal(read[0].prediction, labels[0]);
    assert.ok(Math.abs(read[0].probabilities.reduce((s, p) => s + p, 0) - 1) < 1e-3);

    const several = await post(
      app.url + "/api/classify?model=" + TEST_MODEL,
      pngBytes(paperOfDigits(digits)),
    );
    assert.equal(several.status, 200, JSON.stringify(several.body));
    const found = several.body.digits as { prediction: number; box: { x: number; width: number } }[];
    assert.deepEqual(
      found.map((d) => d.prediction),
      labels,
    );
    for (let i = 1; i < found.length; i++)
      assert.ok(found[i].box.x >= found[i - 1].box.x + found[i - 1].box.width);
  });

  it("refuses a non-image, an empty body, a blank or all-black picture, and too many pixels", async () => {
    const cases: [Buffer | string, RegExp][] = [
      [Buffer.from("just some text, not a picture"), /not an image we can read: not a PNG or JPEG image/],
      [Buffer.alloc(0), /the upload is empty/],
      [pngBytes({ width: 60, height: 60, data: new Float32Array(3600).fill(1) }), /no digit found/],
      [pngBytes({ width: 60, height: 60, data: new Float32Array(3600) }), /no digit found/],
      [
        pngBytes({ width: 2500, height: 2000, data: new Float32Array(5e6).fill(1) }),
        /above the limit of 4000000/,
      ],
    ];
    for (const [body, message] of cases) {
      const answer = await post(app.url + "/api/classify", body);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.match(String(answer.body.error), message);
    }
    const wrongType = await post(app.url + "/api/classify", "hello", "text/html");
    assert.equal(wrongType.status, 415);
    assert.match(String(wrongType.body.error), /image\/png/);
  });

  it("refuses an oversized upload with its limit, and keeps serving", async () => {
    const big = Buffer.alloc(400 * 1024, 7);
    const answer = await post(app.url + "/api/classify", big);
    assert.equal(answer.status, 413);
    assert.match(String(answer.body.error), /larger than the limit of 300 KB/);
    const after = await post(app.url + "/api/classify", pngBytes(paperOfDigits([digits[1]])));
    assert.equal(after.status, 200);
  });

  it("refuses an unknown model by name, listing the saved ones", async () => {
    const answer = await post(app.url + "/api/classify?model=nope", pngBytes(paperOfDigits([digits[1]])));
    assert.equal(answer.status, 404);
    assert.match(String(answer.body.error), /no model named "nope"; the saved models are: test-speed-cnn/);
  });

  it("teaching refuses a bad label, a name outside data/personal and a blank drawing, writing nothing", async () => {
    const image = pngBytes(drawDigit(3, new Random(0)));
    const bad: [string, Buffer, RegExp][] = [
      ["?name=ann&label=12", image, /label must be one digit 0–9, got "12"/],
      ["?name=ann&label=x", image, /label must be one digit 0–9/],
      ["?name=ann", image, /label must be one digit 0–9, got null/],
      ["?name=..%2F..%2Fetc&label=3", image, /name must be 1–40 letters/],
      ["?name=%2Ftmp%2Fx&label=3", image, /name must be 1–40 letters/],
      [
        "?name=ann&label=3",
        pngBytes({ width: 40, height: 40, data: new Float32Array(1600) }),
        /no digit found/,
      ],
      ["?name=ann&label=3", Buffer.from("<svg></svg>"), /not a PNG or JPEG/],
    ];
    for (const [query, body, message] of bad) {
      const answer = await post(app.url + "/api/teach" + query, body);
      assert.equal(answer.status, 400, `${query}: ${JSON.stringify(answer.body)}`);
      assert.match(String(answer.body.error), message);
    }
    assert.deepEqual(filesUnder(path.dirname(app.personalRoot)), []);
    const traversal = await fetch(app.url + "/api/personal/..%2F..%2Fetc");
    assert.equal(traversal.status, 400);

    const good = await post(app.url + "/api/teach?name=ann&label=3", image, "image/png");
    assert.equal(good.status, 200, JSON.stringify(good.body));
    assert.deepEqual(good.body.counts, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(
      filesUnder(app.personalRoot).map((f) => path.dirname(f)),
      ["ann"],
    );
    assert.match(filesUnder(app.personalRoot)[0], /^ann\/3_.*\.png$/);
  });

  it("fine-tuning refuses too few samples, then runs with progress and saves a new model", async () => {
    const few = await post(app.url + "/api/fine-tune", JSON.stringify({ name: "ann" }), "application/json");
    assert.equal(few.status, 400);
    assert.match(String(few.body.error), /at least 10 labelled samples; ann has 1/);
    const nobody = await post(
      app.url + "/api/fine-tune",
      JSON.stringify({ name: "bob" }),
      "application/json",
    );
    assert.match(String(nobody.body.error), /bob has no samples yet/);

    const person = syntheticPerson({ perDigit: 3, seed: 5 });
    for (let i = 0; i < person.x.rows; i++) {
      const random = new Random(100 + i);
      const answer = await post(
        `${app.url}/api/teach?name=synth&label=${person.y[i]}`,
        pngBytes(drawDigit(person.y[i], random)),
      );
      assert.equal(answer.status, 200);
    }
    const started = await post(
      app.url + "/api/fine-tune",
      JSON.stringify({ name: "synth", model: TEST_MODEL }),
      "application/json",
    );
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const again = await post(
      app.url + "/api/fine-tune",
      JSON.stringify({ name: "synth" }),
      "application/json",
    );
    assert.equal(again.status, 409, "a second fine-tuning waits for the first");
    type Job = {
      status: string;
      epoch: number;
      epochs: number;
      message: string;
      result?: Record<string, never>;
    };
    let job = started.body as unknown as Job & { id: string };
    const epochsSeen = new Set<number>();
    while (job.status === "running") {
      // The server answers other requests while it fine-tunes.
      assert.equal((await fetch(app.url + "/api/models")).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = (await (await fetch(`${app.url}/api/fine-tune/${job.id}`)).json()) as Job & { id: string };
      epochsSeen.add(job.epoch);
    }
    assert.equal(job.status, "done", job.message);
    assert.equal(job.epoch, job.epochs);
    const result = job.result as unknown as {
      model: string;
      personalSet: string;
      personal: { before: number; after: number };
      mnistTest: { before: number; after: number };
    };
    assert.equal(result.personalSet, "held-out");
    assert.ok(result.personal.after >= result.personal.before, JSON.stringify(result));
    console.log(`      fine-tuned in the app: ${JSON.stringify(result)}`);
    const models = (await (await fetch(app.url + "/api/models")).json()) as { models: { name: string }[] };
    assert.ok(models.models.some((m) => m.name === result.model));
    const withNew = await post(
      `${app.url}/api/classify?model=${result.model}`,
      pngBytes(paperOfDigits([digits[0]])),
    );
    assert.equal(withNew.status, 200);
  });
});
