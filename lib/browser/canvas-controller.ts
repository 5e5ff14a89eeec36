/**
 * The drawing widget's behaviour in the page, shipped as source text next to the runtime (see
 * ./runtime.ts): pointer strokes (mouse, pen and touch) with a round white pen on black, and after
 * every animation frame of drawing, and at once when a stroke ends, the drawing → the 28×28 image →
 * the network's probabilities on screen. Elements are found by data-testid / class inside `root`, so
 * several widgets live on one page.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- runs in the page on the runtime's plain JSON */
declare function prepareNetwork(spec: any): any;
declare function classify(
  network: any,
  pixels: ArrayLike<number>,
): { digit: number; probabilities: number[] };
declare function inkFromRgba(rgba: ArrayLike<number>, width: number, height: number): Float32Array;
declare function mnistFromInk(ink: Float32Array, width: number, height: number): Float32Array | null;

export function attachDrawingWidget(root: HTMLElement, spec: any, options: { penWidth: number }): void {
  const network = prepareNetwork(spec);
  const canvas = root.querySelector('[data-testid="draw-canvas"]') as HTMLCanvasElement;
  const context = canvas.getContext("2d", { willReadFrequently: true }) as CanvasRenderingContext2D;
  const seen = root.querySelector(".mn-seen") as HTMLCanvasElement;
  const seenContext = seen.getContext("2d") as CanvasRenderingContext2D;
  const prediction = root.querySelector('[data-testid="prediction"]') as HTMLElement;
  const message = root.querySelector(".mn-message") as HTMLElement;
  const rows = root.querySelectorAll('[data-testid="probabilities"] .mn-bar-row');
  let drawing = false;
  let last = { x: 0, y: 0 };
  let framePending = false;

  function clear(): void {
    context.fillStyle = "#000";
    context.fillRect(0, 0, canvas.width, canvas.height);
    update();
  }

  function pointAt(event: PointerEvent): { x: number; y: number } {
    const rect = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * canvas.width) / rect.width,
      y: ((event.clientY - rect.top) * canvas.height) / rect.height,
    };
  }

  function strokeTo(point: { x: number; y: number }): void {
    context.strokeStyle = "#fff";
    context.lineWidth = options.penWidth;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(point.x, point.y);
    context.stroke();
    last = point;
  }

  function updateSoon(): void {
    if (framePending) return;
    framePending = true;
    requestAnimationFrame(function () {
      framePending = false;
      update();
    });
  }

  /** Classifies the drawing and shows it; returns the milliseconds it took. */
  function update(): number {
    const start = performance.now();
    const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const pixels = mnistFromInk(inkFromRgba(rgba, canvas.width, canvas.height), canvas.width, canvas.height);
    const image = seenContext.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = pixels ? Math.round(pixels[i] * 255) : 0;
      image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = v;
      image.data[4 * i + 3] = 255;
    }
    seenContext.putImageData(image, 0, 0);
    const result = pixels ? classify(network, pixels) : null;
    prediction.textContent = result ? String(result.digit) : "";
    message.textContent = result
      ? "probability " + (100 * result.probabilities[result.digit]).toFixed(1) + "%"
      : "The canvas is empty: draw a digit (0–9) in the black box.";
    rows.forEach(function (row, digit) {
      const p = result ? result.probabilities[digit] : 0;
      (row.querySelector(".mn-bar") as HTMLElement).style.width = (100 * p).toFixed(1) + "%";
      (row.querySelector(".mn-value") as HTMLElement).textContent = result ? (100 * p).toFixed(1) + "%" : "";
      row.classList.toggle("mn-top", result !== null && digit === result.digit);
    });
    const milliseconds = performance.now() - start;
    prediction.setAttribute("data-ms", milliseconds.toFixed(2));
    return milliseconds;
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    last = pointAt(event);
    strokeTo({ x: last.x + 0.01, y: last.y });
    updateSoon();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) return;
    strokeTo(pointAt(event));
    updateSoon();
  });
  function endStroke(): void {
    if (!drawing) return;
    drawing = false;
    update();
  }
  canvas.addEventListener("pointerup", endStroke);
  canvas.addEventListener("pointercancel", endStroke);
  (root.querySelector('[data-testid="clear"]') as HTMLElement).addEventListener("click", clear);
  clear();
}
