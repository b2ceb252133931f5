// y = x·scale + offset elementwise over [start, end) (Keras' Rescaling), split by the pool.
export function affine(x: usize, y: usize, scale: f32, offset: f32, start: i32, end: i32): void {
  const s = f32x4.splat(scale), o = f32x4.splat(offset);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const at = <usize>i << 2;
    v128.store(y + at, f32x4.add(f32x4.mul(v128.load(x + at), s), o));
  }
  for (; i < end; i++) {
    const at = <usize>i << 2;
    store<f32>(y + at, load<f32>(x + at) * scale + offset);
  }
}
