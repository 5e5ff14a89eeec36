/**
 * A 3×3, stride-1 convolution by Winograd's F(2×2, 3×3) over a block of NHWC images (the reference
 * twin, with the derivation, is lib/kernels/winograd-reference.ts). Each 2×2 output tile needs its
 * 4×4 input tile d transformed to V = Bᵀ d B, and the filters transformed once to U = G g Gᵀ; then the
 * 16 element-wise products summed over channels are 16 matrix products, M[e] = V[e] · U[e] with V[e]
 * (tiles × channels) and U[e] (channels × filters), run on our GEMM micro-kernel; last, Y = Aᵀ M A
 * per tile. That is 16 multiplications per tile, channel and filter where im2col + GEMM does 36.
 * U and V are written straight in the micro-kernel's packed sliver layout (pack.ts), so the products
 * need no packing pass: U[e] as NR-filter slivers, V[e] as MR-tile slivers.
 * The transforms run four channels (input) or four filters (output) per SIMD vector, so both must be
 * multiples of 4 (lib/kernels/winograd-reference.ts checks it before any call).
 * Images go through in chunks of about CHUNK_TILES tiles, so that V and M stay in this core's L2
 * cache between the three steps.
 */
import { MR, NR, storeTile } from "./microkernel";
import { copyFloats, zeroFloats } from "./vector";

/** Tiles per chunk (whole images, at least one): 40 tiles of 32 channels and 64 filters are 240 KiB of V and M. */
const CHUNK_TILES: i32 = 40;

/** Whole images per chunk. */
function chunkImages(tilesPerImage: i32): i32 {
  return max(1, CHUNK_TILES / tilesPerImage);
}

/** `n` rounded up to a multiple of `step`. */
@inline function roundUp(n: i32, step: i32): i32 {
  return ((n + step - 1) / step) * step;
}

/** Floats of the transformed filters: 16 planes of channels × filters, filters padded to whole slivers. */
export function winogradFilterFloats(channels: i32, filters: i32): i32 {
  return 16 * channels * roundUp(filters, NR);
}

/** Bytes of workspace one winogradForward call needs: V and M for a chunk, and one edge tile's 4×4 pixels. */
export function winogradWorkspaceBytes(tilesPerImage: i32, channels: i32, filters: i32): usize {
  const rows = <usize>roundUp(chunkImages(tilesPerImage) * tilesPerImage, MR);
  return (16 * rows * <usize>(channels + roundUp(filters, NR)) + 16 * <usize>channels) << 2;
}

/**
 * transformed = G g Gᵀ for every 3×3 filter g of weights [(ky·3 + kx)·channels + c, filters], as 16
 * planes of NR-filter slivers (element (c, f) of plane e at (f / NR · channels + c) · NR + f % NR,
 * the padding of a last, partial sliver zero): row r of G g is a combination of g's rows, and each
 * row of the result the same combination of that row's three values (`filterRow`).
 */
export function winogradFilters(weights: usize, channels: i32, filters: i32, transformed: usize): void {
  const tap = (<usize>channels * <usize>filters) << 2;
  const plane = (<usize>winogradFilterFloats(channels, filters) >> 4) << 2;
  const half = f32x4.splat(0.5);
  for (let c = 0; c < channels; c++) {
    for (let f = 0; f < filters; f += 4) {
      const g = weights + ((<usize>(c * filters + f)) << 2);
      const g00 = v128.load(g), g01 = v128.load(g + tap), g02 = v128.load(g + 2 * tap);
      const g10 = v128.load(g + 3 * tap), g11 = v128.load(g + 4 * tap), g12 = v128.load(g + 5 * tap);
      const g20 = v128.load(g + 6 * tap), g21 = v128.load(g + 7 * tap), g22 = v128.load(g + 8 * tap);
      const out = transformed + ((<usize>(((f / NR) * channels + c) * NR + (f % NR))) << 2);
      filterRow(g00, g01, g02, out, plane);
      filterRow(
        f32x4.mul(f32x4.add(f32x4.add(g00, g10), g20), half),
        f32x4.mul(f32x4.add(f32x4.add(g01, g11), g21), half),
        f32x4.mul(f32x4.add(f32x4.add(g02, g12), g22), half),
        out + 4 * plane, plane,
      );
      filterRow(
        f32x4.mul(f32x4.add(f32x4.sub(g00, g10), g20), half),
        f32x4.mul(f32x4.add(f32x4.sub(g01, g11), g21), half),
        f32x4.mul(f32x4.add(f32x4.sub(g02, g12), g22), half),
        out + 8 * plane, plane,
      );
      filterRow(g20, g21, g22, out + 12 * plane, plane);
      // A last sliver of four filters: its other four columns are zero.
      if (f + 4 == filters && filters % NR != 0) {
        for (let e = 0; e < 16; e++) v128.store(out + <usize>e * plane, f32x4.splat(0), 16);
      }
    }
  }
}

/** The four values (t0, (t0 + t1 + t2)/2, (t0 − t1 + t2)/2, t2) of one row of G g Gᵀ, `step` bytes apart. */
@inline function filterRow(t0: v128, t1: v128, t2: v128, out: usize, step: usize): void {
  const half = f32x4.splat(0.5);
  v128.store(out, t0);
  v128.store(out + step, f32x4.mul(f32x4.add(f32x4.add(t0, t1), t2), half));
  v128.store(out + 2 * step, f32x4.mul(f32x4.add(f32x4.sub(t0, t1), t2), half));
  v128.store(out + 3 * step, t2);
}

/**
 * output (NHWC [batch, outHeight, outWidth, filters]) = the 3×3 convolution of `input` (NHWC, zero
 * padding `pad`) whose filters `winogradFilters` transformed (+ bias; 0 for none). `workspace` holds
 * winogradWorkspaceBytes; `scratch`, which the thread pool hands every job, goes unused (nothing is packed).
 */
export function winogradForward(
  input: usize, batch: i32, height: i32, width: i32, channels: i32, pad: i32, outHeight: i32, outWidth: i32,
  filters: i32, transformed: usize, bias: usize, workspace: usize, output: usize, scratch: usize,
): void {
  const tilesY = (outHeight + 1) >> 1;
  const tilesX = (outWidth + 1) >> 1;
  const tilesPerImage = tilesY * tilesX;
  const images = chunkImages(tilesPerImage);
  // Rows of V and M: the chunk's tiles, padded to whole MR-tile slivers (the padding rows are zero).
  const rows = roundUp(images * tilesPerImage, MR);
  const paddedFilters = roundUp(filters, NR);
  const vPlane = (<usize>rows * <usize>channels) << 2;
  const mRowBytes = <usize>paddedFilters << 2;
  const mPlane = <usize>rows * mRowBytes;
  const uPlane = (<usize>channels * <usize>paddedFilters) << 2;
  const v = workspace;
  const m = v + 16 * vPlane;
  const edgeTile = m + 16 * mPlane;
  const imageBytes = (<usize>(height * width * channels)) << 2;
  const outImageBytes = (<usize>(outHeight * outWidth * filters)) << 2;
  for (let b0 = 0; b0 < batch; b0 += images) {
    const count = min(images, batch - b0);
    const tiles = count * tilesPerImage;
    let tile = 0;
    for (let b = 0; b < count; b++) {
      const image = input + <usize>(b0 + b) * imageBytes;
      for (let ty = 0; ty < tilesY; ty++) {
        for (let tx = 0; tx < tilesX; tx++) {
          transformInputTile(image, height, width, channels, 2 * ty - pad, 2 * tx - pad, edgeTile, v, vPlane, tile);
          tile++;
        }
      }
    }
    // The padding rows of the last sliver: zero, so the products there are finite (and never read).
    for (; tile < roundUp(tiles, MR); tile++) zeroTile(v, vPlane, channels, tile);
    const slivers = roundUp(tiles, MR) / MR;
    for (let e = 0; e < 16; e++) {
      const ve = v + <usize>e * vPlane;
      const ue = transformed + <usize>e * uPlane;
      const me = m + <usize>e * mPlane;
      for (let j = 0; j < paddedFilters; j += NR) {
        const bSliver = ue + ((<usize>j * <usize>channels) << 2);
        for (let i = 0; i < slivers; i++) {
          const aSliver = ve + ((<usize>(i * MR) * <usize>channels) << 2);
          storeTile(channels, aSliver, bSliver, me + <usize>(i * MR) * mRowBytes + (<usize>j << 2), mRowBytes);
        }
      }
    }
    tile = 0;
    for (let b = 0; b < count; b++) {
      const image = output + <usize>(b0 + b) * outImageBytes;
      for (let ty = 0; ty < tilesY; ty++) {
        for (let tx = 0; tx < tilesX; tx++) {
          const at = m + <usize>tile * mRowBytes;
          transformOutputTile(at, mPlane, filters, bias, image, outHeight, outWidth, 2 * ty, 2 * tx);
          tile++;
        }
      }
    }
  }
}

/** Zeroes row `tile` of every plane of V (MR-tile slivers of `channels` steps). */
function zeroTile(v: usize, plane: usize, channels: i32, tile: i32): void {
  const first = v + ((<usize>((tile / MR) * channels * MR + (tile % MR))) << 2);
  for (let e = 0; e < 16; e++) {
    for (let c = 0; c < channels; c++) store<f32>(first + <usize>e * plane + (<usize>(c * MR) << 2), 0);
  }
}

/**
 * V = Bᵀ d B for the 4×4 input tile whose top-left pixel is (y0, x0), possibly over the padding, into
 * row `tile` of V's planes (`plane` bytes apart, MR-tile slivers). A tile wholly inside the image is
 * read in place; one over an edge is first copied into `edgeTile` with zeros for the padding.
 */
@inline function transformInputTile(
  image: usize, height: i32, width: i32, channels: i32, y0: i32, x0: i32, edgeTile: usize, v: usize, plane: usize,
  tile: i32,
): void {
  const pixelBytes = (<usize>channels) << 2;
  const out = v + ((<usize>((tile / MR) * channels * MR + (tile % MR))) << 2);
  if (y0 >= 0 && x0 >= 0 && y0 + 4 <= height && x0 + 4 <= width) {
    const first = image + <usize>(y0 * width + x0) * pixelBytes;
    transformInput(first, <usize>width * pixelBytes, pixelBytes, channels, out, plane);
    return;
  }
  const from = max(0, -x0);
  const to = min(4, width - x0);
  for (let i = 0; i < 4; i++) {
    const row = edgeTile + <usize>(4 * i) * pixelBytes;
    const y = y0 + i;
    if (y < 0 || y >= height || from >= to) {
      zeroFloats(row, 4 * channels);
      continue;
    }
    zeroFloats(row, from * channels);
    copyFloats(row + <usize>from * pixelBytes, image + <usize>(y * width + x0 + from) * pixelBytes, (to - from) * channels);
    zeroFloats(row + <usize>to * pixelBytes, (4 - to) * channels);
  }
  transformInput(edgeTile, 4 * pixelBytes, pixelBytes, channels, out, plane);
}

/**
 * Bᵀ d B, four channels at a time, for the 4×4 tile d at `d` (rows `rowBytes` apart, pixels
 * `pixelBytes`); channel c of plane e goes to `out` + e·plane + c·MR floats (a tile's lane of a sliver).
 */
function transformInput(d: usize, rowBytes: usize, pixelBytes: usize, channels: i32, out: usize, plane: usize): void {
  for (let c = 0; c < channels; c += 4) {
    const at = d + (<usize>c << 2);
    const r0 = at, r1 = at + rowBytes, r2 = at + 2 * rowBytes, r3 = at + 3 * rowBytes;
    const p = pixelBytes;
    // Bᵀ d: rows d0 − d2, d1 + d2, d2 − d1, d1 − d3, one column (pixel) at a time.
    const d10 = v128.load(r1), d11 = v128.load(r1 + p), d12 = v128.load(r1 + 2 * p), d13 = v128.load(r1 + 3 * p);
    const d20 = v128.load(r2), d21 = v128.load(r2 + p), d22 = v128.load(r2 + 2 * p), d23 = v128.load(r2 + 3 * p);
    const o = out + (<usize>(c * MR) << 2);
    inputRow(
      f32x4.sub(v128.load(r0), d20), f32x4.sub(v128.load(r0 + p), d21),
      f32x4.sub(v128.load(r0 + 2 * p), d22), f32x4.sub(v128.load(r0 + 3 * p), d23), o, plane,
    );
    inputRow(f32x4.add(d10, d20), f32x4.add(d11, d21), f32x4.add(d12, d22), f32x4.add(d13, d23), o + 4 * plane, plane);
    inputRow(f32x4.sub(d20, d10), f32x4.sub(d21, d11), f32x4.sub(d22, d12), f32x4.sub(d23, d13), o + 8 * plane, plane);
    inputRow(
      f32x4.sub(d10, v128.load(r3)), f32x4.sub(d11, v128.load(r3 + p)),
      f32x4.sub(d12, v128.load(r3 + 2 * p)), f32x4.sub(d13, v128.load(r3 + 3 * p)), o + 12 * plane, plane,
    );
  }
}

/** One row of (Bᵀ d) B: (t0 − t2, t1 + t2, t2 − t1, t1 − t3), `step` bytes apart. */
@inline function inputRow(t0: v128, t1: v128, t2: v128, t3: v128, out: usize, step: usize): void {
  storeLanes(out, f32x4.sub(t0, t2));
  storeLanes(out + step, f32x4.add(t1, t2));
  storeLanes(out + 2 * step, f32x4.sub(t2, t1));
  storeLanes(out + 3 * step, f32x4.sub(t1, t3));
}

/** Four channels' values into one tile's lane of a sliver: MR floats apart. */
@inline function storeLanes(out: usize, values: v128): void {
  v128.store32_lane(out, values, 0);
  v128.store32_lane(out, values, 1, MR * 4);
  v128.store32_lane(out, values, 2, MR * 8);
  v128.store32_lane(out, values, 3, MR * 12);
}

/**
 * Y = Aᵀ M A (+ bias) for one tile, four filters at a time: M[e] at `m` + e·plane bytes, the 2×2
 * outputs at (oy, ox) of `image`, the ones past the bottom or right edge left out.
 */
@inline function transformOutputTile(
  m: usize, plane: usize, filters: i32, bias: usize, image: usize, outHeight: i32, outWidth: i32, oy: i32, ox: i32,
): void {
  const pixelBytes = (<usize>filters) << 2;
  const first = image + <usize>(oy * outWidth + ox) * pixelBytes;
  const below = first + <usize>outWidth * pixelBytes;
  const hasRight = ox + 1 < outWidth;
  const hasBelow = oy + 1 < outHeight;
  for (let f = 0; f < filters; f += 4) {
    const at = m + (<usize>f << 2);
    // Aᵀ M: rows m0 + m1 + m2 and m1 − m2 − m3, one column at a time.
    let s00: v128, s01: v128, s02: v128, s03: v128, s10: v128, s11: v128, s12: v128, s13: v128;
    {
      const a = v128.load(at), b = v128.load(at + 4 * plane), c = v128.load(at + 8 * plane), d = v128.load(at + 12 * plane);
      s00 = f32x4.add(f32x4.add(a, b), c);
      s10 = f32x4.sub(f32x4.sub(b, c), d);
    }
    {
      const a = v128.load(at + plane), b = v128.load(at + 5 * plane), c = v128.load(at + 9 * plane), d = v128.load(at + 13 * plane);
      s01 = f32x4.add(f32x4.add(a, b), c);
      s11 = f32x4.sub(f32x4.sub(b, c), d);
    }
    {
      const a = v128.load(at + 2 * plane), b = v128.load(at + 6 * plane), c = v128.load(at + 10 * plane), d = v128.load(at + 14 * plane);
      s02 = f32x4.add(f32x4.add(a, b), c);
      s12 = f32x4.sub(f32x4.sub(b, c), d);
    }
    {
      const a = v128.load(at + 3 * plane), b = v128.load(at + 7 * plane), c = v128.load(at + 11 * plane), d = v128.load(at + 15 * plane);
      s03 = f32x4.add(f32x4.add(a, b), c);
      s13 = f32x4.sub(f32x4.sub(b, c), d);
    }
    const shift = bias != 0 ? v128.load(bias + (<usize>f << 2)) : f32x4.splat(0);
    const fAt = <usize>f << 2;
    // (Aᵀ M) A: columns s0 + s1 + s2 and s1 − s2 − s3.
    v128.store(first + fAt, f32x4.add(f32x4.add(f32x4.add(s00, s01), s02), shift));
    if (hasRight) v128.store(first + pixelBytes + fAt, f32x4.add(f32x4.sub(f32x4.sub(s01, s02), s03), shift));
    if (hasBelow) {
      v128.store(below + fAt, f32x4.add(f32x4.add(f32x4.add(s10, s11), s12), shift));
      if (hasRight) v128.store(below + pixelBytes + fAt, f32x4.add(f32x4.sub(f32x4.sub(s11, s12), s13), shift));
    }
  }
}
