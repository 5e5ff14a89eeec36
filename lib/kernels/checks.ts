/**
 * Argument checks shared by both kernel sets. The wasm build must run them before touching memory:
 * WebAssembly memory has no bounds per array, so a short array or a stray index would read or write
 * a neighbouring tensor instead of failing.
 */

/** Throws unless `array` holds at least `needed` elements. */
export function requireLength(kernel: string, name: string, array: ArrayLike<number>, needed: number): void {
  if (array.length < needed)
    throw new RangeError(`${kernel}: ${name} has ${array.length} elements, needs ${needed}`);
}

/** combineColumns' b term needs both its matrix and its weights. */
export function checkSecondTerm(b: Float32Array | null, wb: Float32Array | null): void {
  if ((b === null) !== (wb === null))
    throw new TypeError("combineColumns: b and wb must be both given or both null");
}

/**
 * The first position i whose index argmax[i] lies outside its own image's block of `inImage` entries
 * (image ⌊i / outImage⌋), or −1: the reference twin of the wasm export maxPoolCheckArgmax.
 */
export function findStrayArgmax(
  argmax: Int32Array,
  batch: number,
  outImage: number,
  inImage: number,
): number {
  for (let i = 0; i < batch * outImage; i++) {
    const first = Math.floor(i / outImage) * inImage;
    if (!(argmax[i] >= first && argmax[i] < first + inImage)) return i;
  }
  return -1;
}

/**
 * Throws a RangeError naming argmax[`stray`] and the block it should lie in, when `stray` (from
 * findStrayArgmax or maxPoolCheckArgmax) is a position; `what` names the block ("inputs", "outputs").
 */
export function rejectStrayArgmax(
  kernel: string,
  what: string,
  argmax: Int32Array,
  stray: number,
  outImage: number,
  inImage: number,
): void {
  if (stray < 0) return;
  const image = Math.floor(stray / outImage);
  throw new RangeError(
    `${kernel}: argmax[${stray}] = ${argmax[stray]} is outside image ${image}'s ${what} ` +
      `[${image * inImage}, ${(image + 1) * inImage})`,
  );
}

/** Throws unless `count` routed values and `rows` output rows split evenly into `batch` images. */
export function checkRoutedBatch(batch: number, count: number, rows: number): void {
  if (!Number.isInteger(batch) || batch <= 0 || count % batch !== 0 || rows % batch !== 0) {
    throw new RangeError(
      `convGradRouted: ${count} routed values and ${rows} rows do not split into ${batch} images`,
    );
  }
}
