/**
 * Single-threaded blocked GEMM (the BLIS loop nest): C = alpha · op(A) · op(B) + beta · C.
 * The JS side splits a large product into independent slices of C and runs one call per thread,
 * each with its own scratch, so nothing here needs to know about threads.
 */
import { MR, NR, addTile, storeTile } from "./microkernel";
import { packA, packB } from "./pack";

/**
 * Depth of a packed block: a KC×NR sliver of B (12.5 KiB) plus an MR×KC sliver of A stay in L1.
 * Deeper blocks mean fewer read-modify-write passes over C; 784 runs as 2 × 392.
 */
const KC: i32 = 400;
/** Rows of A packed at once: MC×KC floats (188 KiB) stay in the 512 KiB L2. */
const MC: i32 = 120;
/** Columns of B packed at once: KC×NC floats (3.2 MiB) stay in L3. */
const NC: i32 = 2048;

const PACKED_A_FLOATS: usize = <usize>MC * <usize>KC;
const PACKED_B_FLOATS: usize = <usize>KC * <usize>NC;
const TILE_FLOATS: usize = <usize>MR * <usize>NR;

/** Bytes of scratch one gemm call needs (packed A, packed B, an edge tile). */
export function gemmScratchBytes(): usize {
  return (PACKED_A_FLOATS + PACKED_B_FLOATS + TILE_FLOATS) << 2;
}

/**
 * `a`, `b`, `c` are byte addresses; `lda`, `ldb`, `ldc` are row strides of the stored matrices in
 * floats, so a caller can pass a slice of a bigger matrix. `scratch` must be 16-byte aligned and
 * hold gemmScratchBytes().
 */
export function gemm(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    scaleMatrix(c, m, n, ldc, beta);
    return;
  }
  // op(A)(i, p) and op(B)(p, j) as (row stride, column stride) pairs in floats.
  const aRow: usize = transA ? 1 : <usize>lda;
  const aCol: usize = transA ? <usize>lda : 1;
  const bRow: usize = transB ? 1 : <usize>ldb;
  const bCol: usize = transB ? <usize>ldb : 1;
  const packedA = scratch;
  const packedB = packedA + (PACKED_A_FLOATS << 2);
  const tile = packedB + (PACKED_B_FLOATS << 2);
  const cRowBytes = <usize>ldc << 2;

  // Equal depth blocks (784 = 2 × 392, not 400 + 384) keep every block worth its packing.
  const depthBlocks = (k + KC - 1) / KC;
  const kcMax = (k + depthBlocks - 1) / depthBlocks;

  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = min(kcMax, k - pc);
      // Later depth blocks accumulate onto what the first one wrote.
      const blockBeta: f32 = pc == 0 ? beta : 1;
      packB(b + ((<usize>pc * bRow + <usize>jc * bCol) << 2), bRow, bCol, kc, nc, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a + ((<usize>ic * aRow + <usize>pc * aCol) << 2), aRow, aCol, mc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bSliver = packedB + ((<usize>jr * <usize>kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const aSliver = packedA + ((<usize>ir * <usize>kc) << 2);
            const cTile = c + <usize>(ic + ir) * cRowBytes + ((<usize>(jc + jr)) << 2);
            if (mr == MR && nr == NR && alpha == 1 && (blockBeta == 0 || blockBeta == 1)) {
              // The common cases (a plain product, or adding to C) run straight on C.
              if (blockBeta == 0) storeTile(kc, aSliver, bSliver, cTile, cRowBytes);
              else addTile(kc, aSliver, bSliver, cTile, cRowBytes);
            } else {
              // Scaled products and ragged edges: compute the whole tile aside, then update the cells inside C.
              storeTile(kc, aSliver, bSliver, tile, <usize>NR << 2);
              updateTile(tile, cTile, cRowBytes, mr, nr, alpha, blockBeta);
            }
          }
        }
      }
    }
  }
}

/** C = alpha · tile + beta · C on the top-left rows×cols of a tile; beta = 0 never reads C. */
function updateTile(tile: usize, c: usize, cRowBytes: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  for (let i = 0; i < rows; i++) {
    const src = tile + ((<usize>(i * NR)) << 2);
    const dst = c + <usize>i * cRowBytes;
    for (let j = 0; j < cols; j++) {
      const at = <usize>j << 2;
      const previous: f32 = beta == 0 ? 0 : beta * load<f32>(dst + at);
      store<f32>(dst + at, alpha * load<f32>(src + at) + previous);
    }
  }
}

/** C = beta · C (what a product with k = 0 leaves); beta = 0 clears without reading. */
function scaleMatrix(c: usize, m: i32, n: i32, ldc: i32, beta: f32): void {
  for (let i = 0; i < m; i++) {
    const row = c + ((<usize>i * <usize>ldc) << 2);
    for (let j = 0; j < n; j++) {
      const at = row + (<usize>j << 2);
      store<f32>(at, beta == 0 ? 0 : beta * load<f32>(at));
    }
  }
}
