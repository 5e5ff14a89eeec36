/**
 * Connected components of ink (8-connected): specks of noise are small components, a digit is a large
 * one (or a few, for a digit written in separate strokes), and a written number is several side by side.
 */
export interface Component {
  /** Pixel indices (y · width + x) of the component. */
  pixels: Int32Array;
  /** Bounding box: columns [x, x + width), rows [y, y + height). */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The components of the pixels where `mask` is true, largest first. */
export function connectedComponents(mask: Uint8Array, width: number, height: number): Component[] {
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  const components: Component[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let top = 0;
    const members: number[] = [];
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const p = stack[--top];
      members.push(p);
      const px = p % width;
      const py = (p - px) / width;
      minX = Math.min(minX, px);
      maxX = Math.max(maxX, px);
      minY = Math.min(minY, py);
      maxY = Math.max(maxY, py);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = px + dx;
          const ny = py + dy;
          if (nx < 0 || nx >= width || ny < 0 || ny >= height) continue;
          const q = ny * width + nx;
          if (mask[q] && !seen[q]) {
            seen[q] = 1;
            stack[top++] = q;
          }
        }
      }
    }
    components.push({
      pixels: Int32Array.from(members),
      x: minX,
      y: minY,
      width: maxX - minX + 1,
      height: maxY - minY + 1,
    });
  }
  return components.sort((a, b) => b.pixels.length - a.pixels.length);
}
