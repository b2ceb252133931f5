// Broadcasting for the elementwise merges (Keras: shapes aligned at the right, a size-1 axis
// stretched): per sample, output element (o_0, …, o_{r−1}) reads the input at Σ o_d · stride_d,
// where stride_d is 0 along the axes the input stretches. Shapes and strides come as i32 arrays.

/** y (batch × the output's `size` values) = x stretched to the output's shape. */
export function broadcastCopy(x: usize, y: usize, batch: i32, rank: i32, shape: usize, strides: usize, size: i32, inSize: i32): void {
  for (let b = 0; b < batch; b++) {
    const xb = x + (<usize>(b * inSize) << 2), yb = y + (<usize>(b * size) << 2);
    for (let o = 0; o < size; o++) store<f32>(yb + (<usize>o << 2), load<f32>(xb + (<usize>sourceOf(o, rank, shape, strides) << 2)));
  }
}

/** dx (batch × inSize) = dy summed over the axes x was stretched along (the adjoint of broadcastCopy). */
export function broadcastSum(dy: usize, dx: usize, batch: i32, rank: i32, shape: usize, strides: usize, size: i32, inSize: i32): void {
  memory.fill(dx, 0, <usize>(batch * inSize) << 2);
  for (let b = 0; b < batch; b++) {
    const dxb = dx + (<usize>(b * inSize) << 2), dyb = dy + (<usize>(b * size) << 2);
    for (let o = 0; o < size; o++) {
      const at = dxb + (<usize>sourceOf(o, rank, shape, strides) << 2);
      store<f32>(at, load<f32>(at) + load<f32>(dyb + (<usize>o << 2)));
    }
  }
}

/** The input offset of output element o (row-major over shape). */
// @ts-ignore: decorator
@inline function sourceOf(o: i32, rank: i32, shape: usize, strides: usize): i32 {
  let rest = o, offset = 0;
  for (let d = rank - 1; d >= 0; d--) {
    const n = load<i32>(shape + (<usize>d << 2));
    offset += (rest % n) * load<i32>(strides + (<usize>d << 2));
    rest /= n;
  }
  return offset;
}
