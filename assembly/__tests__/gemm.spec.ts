import { at, copyBuffer, randomBuffer, randomInt, seedTests, set } from './helpers';
import { gemm, gemmColumnBlock, gemmGatheredNormalized, gemmPackedNormalized, gemmWorkspaceBytes, gemmRowBlock, packGemmB, packedBFloats } from '../gemm';
import { Activation } from '../codes';

/** Naive reference in f64: C = alpha·op(A)·op(B) + beta·C, and the f64 sum of |terms| for tolerances. */
function reference(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32, a: usize, lda: i32, b: usize, ldb: i32,
  beta: f32, c: usize, ldc: i32, out: usize, magnitude: usize,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum: f64 = 0;
      let abs: f64 = 0;
      for (let p = 0; p < k; p++) {
        const x = <f64>(transA ? at(a, p * lda + i) : at(a, i * lda + p));
        const y = <f64>(transB ? at(b, j * ldb + p) : at(b, p * ldb + j));
        sum += x * y;
        abs += Math.abs(x * y);
      }
      const prior = beta == 0 ? 0 : <f64>beta * <f64>at(c, i * ldc + j);
      store<f64>(out + ((<usize>(i * n + j)) << 3), <f64>alpha * sum + prior);
      store<f64>(magnitude + ((<usize>(i * n + j)) << 3), Math.abs(<f64>alpha) * abs + Math.abs(prior));
    }
  }
}

/** Runs one case; returns the number of elements outside tolerance. */
function check(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32, beta: f32, padded: bool, byColumns: bool = false): i32 {
  // Leading dimensions larger than the logical sizes exercise the strides.
  const extra = padded ? 3 : 0;
  const lda = (transA ? m : k) + extra;
  const ldb = (transB ? k : n) + extra;
  const ldc = n + extra;
  const a = randomBuffer((transA ? k : m) * lda);
  const b = randomBuffer((transB ? n : k) * ldb);
  const c = randomBuffer(m * ldc);
  if (beta == 0) for (let i = 0; i < m * ldc; i++) set(c, i, NaN); // beta = 0 must ignore C
  const c0 = copyBuffer(c, m * ldc);
  const expected = heap.alloc(<usize>(m * n) << 3);
  const magnitude = heap.alloc(<usize>(m * n) << 3);
  reference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc, expected, magnitude);
  const work = heap.alloc(<usize>gemmWorkspaceBytes());
  if (byColumns) gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work, 1, 0, n, 0);
  else gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work, 0, 0, m, 0);
  let bad = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const got = <f64>at(c, i * ldc + j);
      const want = load<f64>(expected + (<usize>(i * n + j) << 3));
      // f32 accumulation: error grows like k·ε·Σ|terms|.
      const tol = 2e-7 * <f64>(k + 2) * load<f64>(magnitude + (<usize>(i * n + j) << 3)) + 1e-30;
      if (!(Math.abs(got - want) <= tol)) bad++;
    }
    // Padding columns of C are never written.
    for (let j = n; j < ldc; j++) if (at(c, i * ldc + j) != at(c0, i * ldc + j) && !isNaN(at(c0, i * ldc + j))) bad++;
  }
  heap.free(a); heap.free(b); heap.free(c); heap.free(c0); heap.free(expected); heap.free(magnitude); heap.free(work);
  return bad;
}

describe('gemm', () => {
  it('matches a naive loop on random shapes 1..67, all transposes', () => {
    seedTests(1);
    for (let trial = 0; trial < 48; trial++) {
      const transA = trial & 1, transB = (trial >> 1) & 1;
      const m = randomInt(1, 67), n = randomInt(1, 67), k = randomInt(1, 67);
      const alpha: f32 = trial % 3 == 0 ? 1 : <f32>randomInt(-3, 3) * 0.5 + 0.25;
      const beta: f32 = trial % 4 == 0 ? 0 : trial % 4 == 1 ? 1 : -0.5;
      const byColumns = (trial & 8) != 0;
      expect<i32>(check(transA, transB, m, n, k, alpha, beta, (trial & 4) != 0, byColumns)).toBe(0, `trial ${trial}: ${m}x${n}x${k} tA=${transA} tB=${transB}`);
    }
  });

  it('is correct for every size 1 and for sizes around the register tile', () => {
    seedTests(2);
    for (let t = 0; t < 4; t++) {
      const transA = t & 1, transB = (t >> 1) & 1;
      expect<i32>(check(transA, transB, 1, 1, 1, 1, 0, false)).toBe(0);
      expect<i32>(check(transA, transB, 1, 67, 1, 1, 0, false)).toBe(0);
      expect<i32>(check(transA, transB, 67, 1, 67, 1, 1, false)).toBe(0);
      for (let m = 3; m <= 9; m++) expect<i32>(check(transA, transB, m, 15 + m, 5, 1, 0.5, true)).toBe(0);
    }
  });

  it('is correct across the cache-block edges (MC, KC, NC)', () => {
    seedTests(3);
    expect<i32>(check(0, 0, 97, 1030, 385, 1, 0, false)).toBe(0);
    expect<i32>(check(1, 1, 193, 17, 769, 0.5, 1, true)).toBe(0);
    expect<i32>(check(0, 1, 30, 2100, 100, 1, 0, false, true)).toBe(0);
  });

  it('gives the same bits when the rows are split in slices (any thread count)', () => {
    seedTests(4);
    const m = 61, n = 45, k = 53;
    const a = randomBuffer(m * k), b = randomBuffer(k * n);
    const whole = randomBuffer(m * n), split = copyBuffer(whole, m * n);
    const ws = gemmWorkspaceBytes();
    const work = heap.alloc(<usize>ws * 3);
    const byColumns = copyBuffer(whole, m * n);
    gemm(0, 1, m, n, k, 1.5, a, k, b, k, 0.5, whole, n, work, 0, 0, m, 0);
    const block = gemmRowBlock();
    // Three row slices on three workspaces, not aligned to the block for the middle one.
    gemm(0, 1, m, n, k, 1.5, a, k, b, k, 0.5, split, n, work, 0, 0, block * 3, 0);
    gemm(0, 1, m, n, k, 1.5, a, k, b, k, 0.5, split, n, work, 0, block * 3, 37, 1);
    gemm(0, 1, m, n, k, 1.5, a, k, b, k, 0.5, split, n, work, 0, 37, m, 2);
    // Three column slices.
    const cb = gemmColumnBlock();
    gemm(0, 1, m, n, k, 1.5, a, k, b, k, 0.5, byColumns, n, work, 1, 0, cb * 2, 0);
    gemm(0, 1, m, n, k, 1.5, a, k, b, k, 0.5, byColumns, n, work, 1, cb * 2, 29, 1);
    gemm(0, 1, m, n, k, 1.5, a, k, b, k, 0.5, byColumns, n, work, 1, 29, n, 2);
    let differ = 0;
    for (let i = 0; i < m * n; i++) {
      if (reinterpret<u32>(at(whole, i)) != reinterpret<u32>(at(split, i))) differ++;
      if (reinterpret<u32>(at(whole, i)) != reinterpret<u32>(at(byColumns, i))) differ++;
    }
    expect<i32>(differ).toBe(0);
  });

  it('gives the packed path\'s bits for fewer rows than a tile (the streamed path), across k-blocks', () => {
    seedTests(6);
    // n = 1029 crosses NC and ends in a partial vector; k = 800 makes three k-blocks.
    const m = 7, n = 1029, k = 800;
    const a = randomBuffer(m * k), b = randomBuffer(k * n);
    const packed = randomBuffer(m * n);
    const work = heap.alloc(<usize>gemmWorkspaceBytes());
    gemm(0, 0, m, n, k, 0.75, a, k, b, n, 0, packed, n, work, 0, 0, m, 0);
    let differ = 0;
    for (let rows = 1; rows < gemmRowBlock(); rows++) {
      const few = randomBuffer(rows * n);
      gemm(0, 0, rows, n, k, 0.75, a, k, b, n, 0, few, n, work, 0, 0, rows, 0);
      for (let i = 0; i < rows * n; i++) if (reinterpret<u32>(at(few, i)) != reinterpret<u32>(at(packed, i))) differ++;
    }
    expect<i32>(differ).toBe(0);
  });

  it('leaves C alone outside the row or column range and for empty ranges', () => {
    seedTests(5);
    const m = 9, n = 7, k = 5;
    const a = randomBuffer(m * k), b = randomBuffer(k * n), c = randomBuffer(m * n);
    const c0 = copyBuffer(c, m * n);
    const work = heap.alloc(<usize>gemmWorkspaceBytes());
    gemm(0, 0, m, n, k, 1, a, k, b, n, 0, c, n, work, 0, 4, 6, 0);
    gemm(0, 0, m, n, k, 1, a, k, b, n, 0, c, n, work, 0, 6, 6, 0);
    for (let i = 0; i < m * n; i++) {
      const row = i / n;
      if (row < 4 || row >= 6) expect<f32>(at(c, i)).toBe(at(c0, i));
      else expect<f32>(at(c, i)).not.toBe(at(c0, i));
    }
    const d = copyBuffer(c0, m * n);
    gemm(0, 0, m, n, k, 1, a, k, b, n, 0, d, n, work, 1, 2, 5, 0);
    for (let i = 0; i < m * n; i++) {
      const col = i % n;
      if (col < 2 || col >= 5) expect<f32>(at(d, i)).toBe(at(c0, i));
      else expect<f32>(at(d, i)).not.toBe(at(c0, i));
    }
  });
});

/** A random permutation of 0..k-1 (Fisher–Yates) as an i32 table. */
function permutation(k: i32): usize {
  const rows = heap.alloc(<usize>max(k, 1) << 2);
  for (let p = 0; p < k; p++) store<i32>(rows + (<usize>p << 2), p);
  for (let p = k - 1; p > 0; p--) {
    const q = randomInt(0, p);
    const t = load<i32>(rows + (<usize>p << 2));
    store<i32>(rows + (<usize>p << 2), load<i32>(rows + (<usize>q << 2)));
    store<i32>(rows + (<usize>q << 2), t);
  }
  return rows;
}

/**
 * gemmGatheredNormalized against the packed path on B reordered first (the copy a model's later
 * runs read): the number of elements whose bits differ (C, or the untouched padding of C).
 */
function gatheredDiffers(transB: i32, m: i32, n: i32, k: i32, byColumns: bool): i32 {
  const ldb = transB ? k : n;
  const a = randomBuffer(m * k), b = randomBuffer((transB ? n : k) * ldb), rows = permutation(k);
  // op(B)'s row p is stored row (column, when transposed) rows[p]; `ordered` is op(B) so reordered, k×n.
  const ordered = heap.alloc(<usize>max(k * n, 1) << 2);
  for (let p = 0; p < k; p++) {
    const r = load<i32>(rows + (<usize>p << 2));
    for (let j = 0; j < n; j++) set(ordered, p * n + j, transB ? at(b, j * k + r) : at(b, r * n + j));
  }
  const packed = heap.alloc(<usize>max(packedBFloats(k, n), 1) << 2);
  packGemmB(0, k, n, ordered, n, packed, 0, k, 0, n);
  // A bias and a ReLU as the epilogue, beta 0.5 over C's old values.
  const bias = randomBuffer(n), scale = heap.alloc(<usize>max(n, 1) << 2), shift = heap.alloc(<usize>max(n, 1) << 2);
  for (let j = 0; j < n; j++) { set(scale, j, 1); set(shift, j, 0); }
  const ldc = n + 1;
  const want = randomBuffer(m * ldc), got = copyBuffer(want, m * ldc);
  const work = heap.alloc(<usize>gemmWorkspaceBytes() * 2);
  gemmPackedNormalized(0, m, n, k, 0.75, a, k, packed, 0.5, want, ldc, work, bias, scale, shift, f32.MAX_VALUE, 0, 0, Activation.Linear, 0, 0, m, 0);
  if (byColumns) {
    // Two column slices on two threads' workspaces.
    const cut = min(n, gemmColumnBlock() * 2);
    gemmGatheredNormalized(0, transB, m, n, k, 0.75, a, k, b, ldb, rows, 0.5, got, ldc, work, bias, scale, shift, f32.MAX_VALUE, 0, 0, Activation.Linear, 1, 0, cut, 0);
    gemmGatheredNormalized(0, transB, m, n, k, 0.75, a, k, b, ldb, rows, 0.5, got, ldc, work, bias, scale, shift, f32.MAX_VALUE, 0, 0, Activation.Linear, 1, cut, n, 1);
  } else {
    gemmGatheredNormalized(0, transB, m, n, k, 0.75, a, k, b, ldb, rows, 0.5, got, ldc, work, bias, scale, shift, f32.MAX_VALUE, 0, 0, Activation.Linear, 0, 0, m, 0);
  }
  let differ = 0;
  for (let i = 0; i < m * ldc; i++) if (reinterpret<u32>(at(want, i)) != reinterpret<u32>(at(got, i))) differ++;
  heap.free(a); heap.free(b); heap.free(rows); heap.free(ordered); heap.free(packed); heap.free(bias); heap.free(scale); heap.free(shift);
  heap.free(want); heap.free(got); heap.free(work);
  return differ;
}

describe('gemmGatheredNormalized', () => {
  it('gives the bits of the packed product on B reordered first, both layouts of B, one row to many, across k-blocks', () => {
    seedTests(7);
    for (let transB = 0; transB < 2; transB++) {
      // k = 800: three k-blocks; n = 37: a partial last panel; m = 1..3 below a tile, 5 and 9 above.
      const ms: i32[] = [1, 2, 3, 5, 9];
      for (let t = 0; t < ms.length; t++) {
        expect<i32>(gatheredDiffers(transB, ms[t], 37, 800, false)).toBe(0, `m=${ms[t]} tB=${transB}`);
        expect<i32>(gatheredDiffers(transB, ms[t], 70, 1, false)).toBe(0, `m=${ms[t]} k=1 tB=${transB}`);
      }
      expect<i32>(gatheredDiffers(transB, 1, 130, 400, true)).toBe(0, `columns tB=${transB}`);
      expect<i32>(gatheredDiffers(transB, 6, 1030, 97, false)).toBe(0, `n past NC tB=${transB}`);
    }
  });
});
