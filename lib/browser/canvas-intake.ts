/**
 * The MNIST recipe's last steps for a drawing, in plain JavaScript for the browser (shipped as source
 * text like ./forward-pass.ts): crop to the ink, scale to fit 20×20 keeping the aspect ratio (area
 * averaging), place in 28×28 and shift so the centre of mass is the centre (bilinear). The same steps,
 * in the same order and arithmetic, as `fitDigitToMnist` in lib/intake/mnist-recipe.ts, which the
 * tests hold it equal to. A drawing needs none of the recipe's earlier steps: it is already bright ink
 * on a black, evenly lit background, with the pen's width chosen to match MNIST's strokes.
 */

/** Ink in [0, 1] from the canvas's RGBA bytes (white pen on black: the mean of red, green and blue). */
export function inkFromRgba(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = (rgba[4 * i] + rgba[4 * i + 1] + rgba[4 * i + 2]) / 765;
  return ink;
}

/** The smallest box holding every pixel above 0, or null for a blank image. */
export function inkBox(
  ink: ArrayLike<number>,
  width: number,
  height: number,
): { x: number; y: number; width: number; height: number } | null {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] <= 0) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (maxX < 0) return null;
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** Area-averaging resize of the box (x, y, w, h) of `src` to outWidth × outHeight. */
export function resizeBoxArea(
  src: ArrayLike<number>,
  srcWidth: number,
  box: { x: number; y: number; width: number; height: number },
  outWidth: number,
  outHeight: number,
): Float32Array {
  const sx = box.width / outWidth;
  const sy = box.height / outHeight;
  const out = new Float32Array(outWidth * outHeight);
  for (let oy = 0; oy < outHeight; oy++) {
    const y0 = oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < outWidth; ox++) {
      const x0 = ox * sx;
      const x1 = x0 + sx;
      let sum = 0;
      for (let y = Math.floor(y0); y < Math.min(Math.ceil(y1), box.height); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(Math.ceil(x1), box.width); x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          sum += wx * wy * src[(box.y + y) * srcWidth + box.x + x];
        }
      }
      out[oy * outWidth + ox] = sum / (sx * sy);
    }
  }
  return out;
}

/** Shifts a side×side image (bilinear, 0 outside) so its centre of mass is the image centre. */
export function centreOfMassShift(image: Float32Array, side: number): Float32Array {
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = image[y * side + x];
      mass += v;
      sumX += v * x;
      sumY += v * y;
    }
  }
  const centre = (side - 1) / 2;
  const tx = mass > 0 ? sumX / mass - centre : 0;
  const ty = mass > 0 ? sumY / mass - centre : 0;
  const out = new Float32Array(side * side);
  for (let y = 0; y < side; y++) {
    // Written as lib/preprocessing/warp.ts's rowStart computes it, so the rounding is the same.
    const sy = y - centre + centre + ty;
    let sx = tx;
    for (let x = 0; x < side; x++) {
      out[y * side + x] = bilinearAt(image, side, sx, sy);
      sx += 1;
    }
  }
  return out;
}

/** The bilinear value of a side×side image at (x, y); neighbours outside the image count as 0. */
export function bilinearAt(image: Float32Array, side: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  if (x0 >= 0 && x0 < side - 1 && y0 >= 0 && y0 < side - 1) {
    const fx0 = x - x0;
    const i = y0 * side + x0;
    const top = image[i] + fx0 * (image[i + 1] - image[i]);
    const bottom = image[i + side] + fx0 * (image[i + side + 1] - image[i + side]);
    return top + (y - y0) * (bottom - top);
  }
  if (!(x0 >= -1 && y0 >= -1 && x0 < side && y0 < side)) return 0;
  const fx = x - x0;
  const fy = y - y0;
  let value = 0;
  const row0 = y0 * side;
  if (y0 >= 0) {
    if (x0 >= 0) value += (1 - fx) * (1 - fy) * image[row0 + x0];
    if (x0 + 1 < side) value += fx * (1 - fy) * image[row0 + x0 + 1];
  }
  if (y0 + 1 < side) {
    if (x0 >= 0) value += (1 - fx) * fy * image[row0 + side + x0];
    if (x0 + 1 < side) value += fx * fy * image[row0 + side + x0 + 1];
  }
  return value;
}

/**
 * The 28×28 image (ink = 1) an MNIST model expects from a width × height ink image, or null when
 * there is no ink at all.
 */
export function mnistFromInk(ink: ArrayLike<number>, width: number, height: number): Float32Array | null {
  const side = 28;
  const fitSide = 20;
  const box = inkBox(ink, width, height);
  if (box === null) return null;
  const fit = fitSide / Math.max(box.width, box.height);
  const scaledWidth = Math.max(1, Math.round(box.width * fit));
  const scaledHeight = Math.max(1, Math.round(box.height * fit));
  const scaled = resizeBoxArea(ink, width, box, scaledWidth, scaledHeight);
  const placed = new Float32Array(side * side);
  const left = Math.floor((side - scaledWidth) / 2);
  const top = Math.floor((side - scaledHeight) / 2);
  for (let y = 0; y < scaledHeight; y++) {
    for (let x = 0; x < scaledWidth; x++) placed[(top + y) * side + left + x] = scaled[y * scaledWidth + x];
  }
  const pixels = centreOfMassShift(placed, side);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.min(1, Math.max(0, pixels[i]));
  return pixels;
}
