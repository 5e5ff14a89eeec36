/**
 * Packing copies a block of op(A) or op(B) into the contiguous, zero-padded sliver layout the micro
 * kernel streams. Element (i, p) of a matrix lives at base + (i·rowStride + p·colStride)·4, so one
 * routine serves both the stored and the transposed layout; the unit-stride case picks the loop
 * order that reads memory sequentially.
 */
import { MR, NR } from "./microkernel";

/** Packs rows×depth of op(A) into MR-row slivers: sliver s holds, for each p, MR consecutive values. */
export function packA(a: usize, rowStride: usize, colStride: usize, rows: i32, depth: i32, dst: usize): void {
  for (let i0 = 0; i0 < rows; i0 += MR) {
    const sliverRows = min(MR, rows - i0);
    const sliver = dst + ((<usize>i0 * <usize>depth) << 2);
    const first = a + ((<usize>i0 * rowStride) << 2);
    if (sliverRows == MR && colStride == 1) {
      packStoredSliver(first, rowStride << 2, depth, sliver);
    } else {
      packSliverByElement(first, rowStride << 2, colStride << 2, sliverRows, depth, sliver);
    }
  }
}

/**
 * A full sliver of stored A (each row contiguous along p), written for MR = 5: four steps at a time,
 * rows 0–3 are transposed in registers and row 4 is spread lane by lane, so every value is read as
 * part of a vector instead of by one scalar load and store each.
 */
function packStoredSliver(a: usize, rowBytes: usize, depth: i32, dst: usize): void {
  let p = 0;
  for (; p + 4 <= depth; p += 4) {
    const at = a + (<usize>p << 2);
    const r0 = v128.load(at);
    const r1 = v128.load(at + rowBytes);
    const r2 = v128.load(at + 2 * rowBytes);
    const r3 = v128.load(at + 3 * rowBytes);
    const r4 = v128.load(at + 4 * rowBytes);
    const low01 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
    const low23 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
    const high01 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
    const high23 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
    // Step q of the four occupies floats [5q, 5q + 5) of the 20 written here.
    const out = dst + (<usize>(p * MR) << 2);
    v128.store(out, i32x4.shuffle(low01, low23, 0, 1, 4, 5));
    v128.store32_lane(out, r4, 0, 16);
    v128.store(out, i32x4.shuffle(low01, low23, 2, 3, 6, 7), 20);
    v128.store32_lane(out, r4, 1, 36);
    v128.store(out, i32x4.shuffle(high01, high23, 0, 1, 4, 5), 40);
    v128.store32_lane(out, r4, 2, 56);
    v128.store(out, i32x4.shuffle(high01, high23, 2, 3, 6, 7), 60);
    v128.store32_lane(out, r4, 3, 76);
  }
  if (p < depth) packSliverByElement(a + (<usize>p << 2), rowBytes, 4, MR, depth - p, dst + (<usize>(p * MR) << 2));
}

/** Any layout, up to MR rows; rows past `rows` are zero so the micro kernel can run whole tiles. */
function packSliverByElement(a: usize, rowBytes: usize, stepBytes: usize, rows: i32, depth: i32, dst: usize): void {
  for (let p = 0; p < depth; p++) {
    const src = a + <usize>p * stepBytes;
    const out = dst + (<usize>(p * MR) << 2);
    let i = 0;
    for (; i < rows; i++) store<f32>(out + (<usize>i << 2), load<f32>(src + <usize>i * rowBytes));
    for (; i < MR; i++) store<f32>(out + (<usize>i << 2), 0);
  }
}

/** Packs depth×cols of op(B) into NR-column slivers: sliver s holds, for each p, NR consecutive values. */
export function packB(b: usize, rowStride: usize, colStride: usize, depth: i32, cols: i32, dst: usize): void {
  for (let j0 = 0; j0 < cols; j0 += NR) {
    const sliverCols = min(NR, cols - j0);
    const sliver = dst + ((<usize>j0 * <usize>depth) << 2);
    if (colStride == 1 && sliverCols == NR) {
      // Stored B: each row of the sliver is NR contiguous floats, two vector copies.
      let src = b + (<usize>j0 << 2);
      let out = sliver;
      for (let p = 0; p < depth; p++) {
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
        src += rowStride << 2;
        out += <usize>NR << 2;
      }
      continue;
    }
    if (sliverCols < NR) memory.fill(sliver, 0, (<usize>NR * <usize>depth) << 2);
    // Transposed B (or a ragged edge): read each column sequentially along p.
    for (let j = 0; j < sliverCols; j++) {
      let src = b + (((<usize>(j0 + j)) * colStride) << 2);
      let out = sliver + (<usize>j << 2);
      for (let p = 0; p < depth; p++) {
        store<f32>(out, load<f32>(src));
        src += rowStride << 2;
        out += <usize>NR << 2;
      }
    }
  }
}
