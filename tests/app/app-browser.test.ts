/**
 * `npm run app`'s page in headless Chromium (playwright-core with Debian's Chromium; skipped without it):
 * digits drawn with mouse strokes on the app's canvas are read correctly, an image and a non-image are
 * uploaded, and a person teaches samples and fine-tunes with the progress shown. Screenshots go to
 * build/test-browser/.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Browser, Page } from "playwright-core";
import { loadMnist } from "../../lib/data/mnist";
import { toMatrix } from "../../lib/data/dataset";
import { findChromium, NO_CHROMIUM_NOTICE } from "../support/notebooks";
import {
  BROWSER_OUT_DIR,
  DIGIT_STROKES,
  drawAndRead,
  drawStrokes,
  launchChromium,
  type Stroke,
} from "../browser/draw";
import { paperOfDigits, pngBytes, startTestApp, trainedModel, type TestApp } from "./app-fixture";

describe("app page in a browser @browser", function () {
  this.timeout(6 * 60 * 1000);
  const chromium = findChromium();
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  before(async function () {
    if (!chromium) {
      console.log(`    (${NO_CHROMIUM_NOTICE})`);
      this.skip();
    }
    await trainedModel();
    app = await startTestApp();
    fs.mkdirSync(BROWSER_OUT_DIR, { recursive: true });
    browser = await launchChromium(chromium!);
    page = await browser.newPage({ viewport: { width: 1000, height: 1000 } });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(app.url);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it("reads digits drawn with the mouse on the app's canvas", async () => {
    const widget = page.locator(".mn-draw-widget").first();
    for (const digit of [1, 7, 0]) {
      const { prediction, milliseconds } = await drawAndRead(page, widget, DIGIT_STROKES[digit]);
      assert.equal(prediction, String(digit), `a drawn ${digit} was read as "${prediction}"`);
      assert.ok(milliseconds < 50, `the ${digit} took ${milliseconds} ms to classify`);
    }
    await page.screenshot({ path: path.join(BROWSER_OUT_DIR, "app-draw.png"), fullPage: true });
    assert.deepEqual(errors, []);
  });

  it("uploads a picture of several digits and a non-image: digits with boxes, and a clear message", async () => {
    const test = loadMnist({ trainLimit: 1, testLimit: 60 }).test;
    const x = toMatrix(test);
    const probabilities = (await trainedModel()).predictProba(x);
    const picked: number[] = [];
    for (let i = 0; i < test.count && picked.length < 3; i++) {
      if (
        probabilities[i * 10 + test.labels[i]] > 0.995 &&
        !picked.some((j) => test.labels[j] === test.labels[i])
      )
        picked.push(i);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "app-upload-"));
    const number = path.join(dir, "number.png");
    fs.writeFileSync(
      number,
      pngBytes(paperOfDigits(picked.map((i) => x.data.slice(i * 784, (i + 1) * 784)))),
    );
    const notes = path.join(dir, "notes.txt");
    fs.writeFileSync(notes, "not a picture");
    await page.getByTestId("upload").setInputFiles([number, notes]);
    const results = page.getByTestId("upload-result");
    await page.getByTestId("upload-error").waitFor();
    assert.equal(await results.count(), 2);
    const digits = picked.map((i) => test.labels[i]).join("");
    assert.equal((await results.nth(0).getByTestId("upload-digits").textContent())?.trim(), digits);
    assert.equal(await results.nth(0).locator(".box").count(), 3, "a box over each digit");
    assert.match((await page.getByTestId("upload-error").textContent()) ?? "", /not a PNG or JPEG image/);
    await page.getByTestId("upload-results").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(BROWSER_OUT_DIR, "app-upload.png"), fullPage: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("teaches drawn samples, refuses an empty canvas and a bad label, and fine-tunes with progress", async () => {
    const canvas = page.getByTestId("draw-canvas");
    const message = page.getByTestId("teach-message");
    await page.getByTestId("teach-name").fill("tester");
    const save = async (label: string) => {
      await message.evaluate((element) => (element.textContent = ""));
      await page.getByTestId("teach-label").fill(label);
      await page.getByTestId("teach-save").click();
      await page.waitForFunction(
        (element) => (element?.textContent ?? "") !== "",
        await message.elementHandle(),
      );
      return (await message.textContent()) ?? "";
    };
    await page.getByTestId("clear").click();
    assert.match(await save("3"), /no digit found/);
    await drawStrokes(page, canvas, DIGIT_STROKES[1]);
    assert.match(await save("12"), /label must be one digit 0–9, got "12"/);
    const shifted = (strokes: Stroke[], dx: number): Stroke[] =>
      strokes.map((s) => s.map(([x, y]) => [x + dx, y]));
    for (const digit of [1, 7, 0]) {
      for (const dx of [-0.08, -0.03, 0.03, 0.08]) {
        await page.getByTestId("clear").click();
        await drawStrokes(page, canvas, shifted(DIGIT_STROKES[digit], dx));
        assert.match(await save(String(digit)), /saved .*tester.*\.png/);
      }
    }
    const counts = (await page.getByTestId("teach-counts").textContent()) ?? "";
    assert.match(counts, /0: 4 · 1: 4 · 2: 0/);
    assert.equal(fs.readdirSync(path.join(app.personalRoot, "tester")).length, 12);

    await page.getByTestId("fine-tune").click();
    const result = page.getByTestId("fine-tune-result");
    await result.locator("a").waitFor({ timeout: 180_000 });
    assert.match((await result.textContent()) ?? "", /MNIST test \(500 images\): [\d.]+% → [\d.]+%/);
    const progress = page.getByTestId("fine-tune-progress");
    assert.equal(await progress.getAttribute("value"), await progress.getAttribute("max"));
    assert.match(
      (await page.getByTestId("fine-tune-status").textContent()) ?? "",
      /saved as test-speed-cnn-tester/,
    );
    await page.screenshot({ path: path.join(BROWSER_OUT_DIR, "app-teach.png"), fullPage: true });
    // The new model is in the picker once the page reloads with it.
    await result.locator("a").click();
    await page.waitForURL(/model=test-speed-cnn-tester/);
    assert.equal(await page.getByTestId("model-picker").inputValue(), "test-speed-cnn-tester");
    assert.deepEqual(errors, []);
  });
});
