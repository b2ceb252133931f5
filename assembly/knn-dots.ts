// Dot products of small-integer vectors, for the euclidean k-nearest-neighbour search on data
// that lies on a grid (pixels: bytes, or bytes / 255): with q = s·a and x = s·b for i16 vectors a
// and b, q·x = s²·Σ a_k b_k, summed exactly in i32 by i32x4.dot_i16x8_s (8 products a step,
// against 4 multiplies and 4 adds for f32x4). The caller bounds what the grid and the f32 output
// round away, and knnFromDots re-measures the candidates exactly, so the answer stays exact.

/**
 * out[i·n + j] = f32(scale · Σ_k a[i][k] b[j][k]) for query rows rowStart ≤ i < rowEnd of a
 * (i16, rows × dPad) against the n rows of b (i16, n × dPad); dPad a multiple of 8, |values| ≤
 * 255 and dPad·255² < 2³¹ so the i32 sums are exact. Samples go in chunks of `chunk` that stay in
 * cache while every query row of the slice passes over them. Groups of 8 features where both
 * rows of a query pair are 0 add nothing and are skipped (an image's empty border): lists (i32,
 * (dPad/8 + 1) per pair, indexed by rowStart/2 onwards) receives each pair's other groups.
 */
export function dotsI16(a: usize, b: usize, n: i32, dPad: i32, scale: f64, out: usize, chunk: i32, lists: usize, rowStart: i32, rowEnd: i32): void {
  const rowBytes = <usize>dPad << 1;
  const listBytes = <usize>(dPad / 8 + 1) << 2;
  for (let i = rowStart; i + 2 <= rowEnd; i += 2) {
    const q0 = a + <usize>i * rowBytes, q1 = q0 + rowBytes;
    const list = lists + <usize>(i >> 1) * listBytes;
    let count = 0;
    for (let o: usize = 0; o < rowBytes; o += 16) {
      if (v128.any_true(v128.or(v128.load(q0 + o), v128.load(q1 + o)))) {
        store<i32>(list + (<usize>(count + 1) << 2), <i32>o);
        count++;
      }
    }
    store<i32>(list, count);
  }
  for (let jc = 0; jc < n; jc += chunk) {
    const je = min(jc + chunk, n);
    let i = rowStart;
    for (; i + 2 <= rowEnd; i += 2) {
      const q0 = a + <usize>i * rowBytes, q1 = q0 + rowBytes;
      const list = lists + <usize>(i >> 1) * listBytes;
      let j = jc;
      for (; j + 4 <= je; j += 4) tile2x4(q0, q1, b + <usize>j * rowBytes, rowBytes, list, scale, out + ((<usize>i * n + j) << 2), <usize>n << 2);
      for (; j < je; j++) {
        const x = b + <usize>j * rowBytes;
        store<f32>(out + ((<usize>i * n + j) << 2), <f32>(scale * <f64>dot(q0, x, dPad)));
        store<f32>(out + ((<usize>(i + 1) * n + j) << 2), <f32>(scale * <f64>dot(q1, x, dPad)));
      }
    }
    for (; i < rowEnd; i++) {
      const q = a + <usize>i * rowBytes;
      for (let j = jc; j < je; j++) store<f32>(out + ((<usize>i * n + j) << 2), <f32>(scale * <f64>dot(q, b + <usize>j * rowBytes, dPad)));
    }
  }
}

function dot(q: usize, x: usize, dPad: i32): i32 {
  let acc = i32x4.splat(0);
  for (let k = 0; k < dPad; k += 8) acc = i32x4.add(acc, i32x4.dot_i16x8_s(v128.load(q + (<usize>k << 1)), v128.load(x + (<usize>k << 1))));
  return i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
}

// @ts-ignore: decorator
@inline function sum4(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/** Two query rows against four sample rows: eight running i32x4 sums (14 vectors live: no spills on x86's 16). */
function tile2x4(q0: usize, q1: usize, x: usize, rowBytes: usize, list: usize, scale: f64, out: usize, outStride: usize): void {
  let a00 = i32x4.splat(0), a01 = i32x4.splat(0), a02 = i32x4.splat(0), a03 = i32x4.splat(0);
  let a10 = i32x4.splat(0), a11 = i32x4.splat(0), a12 = i32x4.splat(0), a13 = i32x4.splat(0);
  const x1 = x + rowBytes, x2 = x1 + rowBytes, x3 = x2 + rowBytes;
  const end = list + (<usize>load<i32>(list) << 2);
  for (let at = list + 4; at <= end; at += 4) {
    const o = <usize>load<i32>(at);
    const u = v128.load(q0 + o), v = v128.load(q1 + o);
    const b0 = v128.load(x + o), b1 = v128.load(x1 + o), b2 = v128.load(x2 + o), b3 = v128.load(x3 + o);
    a00 = i32x4.add(a00, i32x4.dot_i16x8_s(u, b0));
    a01 = i32x4.add(a01, i32x4.dot_i16x8_s(u, b1));
    a02 = i32x4.add(a02, i32x4.dot_i16x8_s(u, b2));
    a03 = i32x4.add(a03, i32x4.dot_i16x8_s(u, b3));
    a10 = i32x4.add(a10, i32x4.dot_i16x8_s(v, b0));
    a11 = i32x4.add(a11, i32x4.dot_i16x8_s(v, b1));
    a12 = i32x4.add(a12, i32x4.dot_i16x8_s(v, b2));
    a13 = i32x4.add(a13, i32x4.dot_i16x8_s(v, b3));
  }
  store<f32>(out, <f32>(scale * <f64>sum4(a00)));
  store<f32>(out, <f32>(scale * <f64>sum4(a01)), 4);
  store<f32>(out, <f32>(scale * <f64>sum4(a02)), 8);
  store<f32>(out, <f32>(scale * <f64>sum4(a03)), 12);
  store<f32>(out + outStride, <f32>(scale * <f64>sum4(a10)));
  store<f32>(out + outStride, <f32>(scale * <f64>sum4(a11)), 4);
  store<f32>(out + outStride, <f32>(scale * <f64>sum4(a12)), 8);
  store<f32>(out + outStride, <f32>(scale * <f64>sum4(a13)), 12);
}
