// Keras' Dot merge: per sample, the product of two tensors of rank 1 or 2 contracted over one axis
// each, seen through strides as x(i, c) (p × k) and y(c, j) (k × q):
//   z(i, j) = Σ_c x(i, c) · y(c, j)
//   dx(i, c) = Σ_j dz(i, j) · y(c, j)        dy(c, j) = Σ_i dz(i, j) · x(i, c)
// and, for normalize, the L2 normalization along the contracted axis (x viewed as outer × n × inner,
// normalized over n), as tf.math.l2_normalize: u = x / sqrt(max(Σ x², 1e-12)), whose gradient is
//   dx = (du − u · Σ(u · du)) / ‖x‖ where Σ x² > 1e-12, du / 1e-6 where the floor holds.

// @ts-ignore: decorator
@inline function f(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }

/** z(b, i, j) for `batch` samples; xs/ys are the per-sample strides of x and y. */
export function dotForward(x: usize, y: usize, z: usize, batch: i32, p: i32, q: i32, k: i32,
  xsI: i32, xsC: i32, ysC: i32, ysJ: i32, xStride: i32, yStride: i32): void {
  for (let b = 0; b < batch; b++) {
    const xb = x + (<usize>(b * xStride) << 2), yb = y + (<usize>(b * yStride) << 2), zb = z + (<usize>(b * p * q) << 2);
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < q; j++) {
        let s: f32 = 0;
        for (let c = 0; c < k; c++) s += f(xb, i * xsI + c * xsC) * f(yb, c * ysC + j * ysJ);
        store<f32>(zb + (<usize>(i * q + j) << 2), s);
      }
    }
  }
}

/** dx and dy from dz (either pointer 0: not needed); written, not added. */
export function dotBackward(x: usize, y: usize, dz: usize, dx: usize, dy: usize, batch: i32, p: i32, q: i32, k: i32,
  xsI: i32, xsC: i32, ysC: i32, ysJ: i32, xStride: i32, yStride: i32): void {
  for (let b = 0; b < batch; b++) {
    const xb = x + (<usize>(b * xStride) << 2), yb = y + (<usize>(b * yStride) << 2), zb = dz + (<usize>(b * p * q) << 2);
    if (dx != 0) {
      const dxb = dx + (<usize>(b * xStride) << 2);
      for (let i = 0; i < p; i++) {
        for (let c = 0; c < k; c++) {
          let s: f32 = 0;
          for (let j = 0; j < q; j++) s += f(zb, i * q + j) * f(yb, c * ysC + j * ysJ);
          store<f32>(dxb + (<usize>(i * xsI + c * xsC) << 2), s);
        }
      }
    }
    if (dy != 0) {
      const dyb = dy + (<usize>(b * yStride) << 2);
      for (let c = 0; c < k; c++) {
        for (let j = 0; j < q; j++) {
          let s: f32 = 0;
          for (let i = 0; i < p; i++) s += f(zb, i * q + j) * f(xb, i * xsI + c * xsC);
          store<f32>(dyb + (<usize>(c * ysC + j * ysJ) << 2), s);
        }
      }
    }
  }
}

/** u = x / ‖x‖ over the middle axis of outer × n × inner; norms (outer × inner) keep ‖x‖ for backward. */
export function l2NormalizeForward(x: usize, u: usize, norms: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < inner; r++) {
      const base = o * n * inner + r;
      let s: f32 = 0;
      for (let c = 0; c < n; c++) { const v = f(x, base + c * inner); s += v * v; }
      const norm = Mathf.sqrt(s > <f32>1e-12 ? s : <f32>1e-12);
      store<f32>(norms + (<usize>(o * inner + r) << 2), s > <f32>1e-12 ? norm : -norm); // the sign marks the floor
      for (let c = 0; c < n; c++) store<f32>(u + (<usize>(base + c * inner) << 2), f(x, base + c * inner) / norm);
    }
  }
}

/** dx from du through the normalization (u and norms from forward). */
export function l2NormalizeBackward(u: usize, norms: usize, du: usize, dx: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < inner; r++) {
      const base = o * n * inner + r;
      const marked = f(norms, o * inner + r);
      const norm = Mathf.abs(marked);
      let projection: f32 = 0;
      if (marked > 0) for (let c = 0; c < n; c++) projection += f(u, base + c * inner) * f(du, base + c * inner);
      for (let c = 0; c < n; c++) {
        const at = base + c * inner;
        store<f32>(dx + (<usize>at << 2), (f(du, at) - f(u, at) * projection) / norm);
      }
    }
  }
}
