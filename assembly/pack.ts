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
    if (sliverRows < MR) memory.fill(sliver, 0, (<usize>MR * <usize>depth) << 2);
    if (colStride == 1) {
      // Stored A: each row is contiguous along p; write it down the sliver column.
      for (let i = 0; i < sliverRows; i++) {
        let src = a + (((<usize>(i0 + i)) * rowStride) << 2);
        let out = sliver + (<usize>i << 2);
        for (let p = 0; p < depth; p++) {
          store<f32>(out, load<f32>(src));
          src += 4;
          out += <usize>MR << 2;
        }
      }
    } else {
      // Transposed A: for each p the sliver's rows are contiguous.
      for (let p = 0; p < depth; p++) {
        const src = a + ((<usize>i0 * rowStride + <usize>p * colStride) << 2);
        const out = sliver + ((<usize>p * <usize>MR) << 2);
        for (let i = 0; i < sliverRows; i++) store<f32>(out + (<usize>i << 2), load<f32>(src + ((<usize>i * rowStride) << 2)));
      }
    }
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
