/**
 * Shared by the browser tests: launching Debian's Chromium through playwright-core, and digits drawn
 * as mouse strokes on a `draw-canvas`, in fractions of the canvas (0..1), as a person would draw them.
 */
import * as path from "path";
import type { Browser, Locator, Page } from "playwright-core";
import { ROOT } from "../../scripts/jupyter";

export const BROWSER_OUT_DIR = path.join(ROOT, "build", "test-browser");

export type Stroke = Array<[number, number]>;

/** A circle-ish loop as a stroke of `n` points. */
function loop(cx: number, cy: number, rx: number, ry: number, n = 24): Stroke {
  return Array.from({ length: n + 1 }, (_, i) => {
    const angle = (2 * Math.PI * i) / n - Math.PI / 2;
    return [cx + rx * Math.cos(angle), cy + ry * Math.sin(angle)] as [number, number];
  });
}

export const DIGIT_STROKES: Record<number, Stroke[]> = {
  1: [
    [
      [0.42, 0.28],
      [0.52, 0.18],
      [0.52, 0.82],
    ],
  ],
  7: [
    [
      [0.28, 0.2],
      [0.72, 0.2],
      [0.5, 0.5],
      [0.4, 0.82],
    ],
  ],
  0: [loop(0.5, 0.5, 0.2, 0.3)],
};

export async function launchChromium(executablePath: string): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}

/** Draws the strokes with the mouse (press, move in small steps, release) on the canvas. */
export async function drawStrokes(page: Page, canvas: Locator, strokes: Stroke[]): Promise<void> {
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error("the drawing canvas is not visible");
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 8 });
    await page.mouse.up();
  }
}

/** Draws a digit, reads `prediction` and the milliseconds its classification took. */
export async function drawAndRead(
  page: Page,
  widget: Locator,
  strokes: Stroke[],
): Promise<{ prediction: string; milliseconds: number }> {
  await widget.getByTestId("clear").click();
  await drawStrokes(page, widget.getByTestId("draw-canvas"), strokes);
  const prediction = widget.getByTestId("prediction");
  return {
    prediction: (await prediction.textContent())?.trim() ?? "",
    milliseconds: Number(await prediction.getAttribute("data-ms")),
  };
}
