// Keras' PReLU: y = x where x > 0, α·x otherwise, with a learned α per position of the sample
// (`alpha` holds it for all S positions, shared axes already stretched). Forward over values
// [start, end) of the batch (split by the pool); backward in one pass, with α's gradient summed
// over the batch.

export function prelu(x: usize, y: usize, alpha: usize, sampleSize: i32, start: i32, end: i32): void {
  for (let i = start; i < end; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(y + o, v > 0 ? v : load<f32>(alpha + (<usize>(i % sampleSize) << 2)) * v);
  }
}

/** dx = dy · (1 or α) (dx 0: not needed); dalpha[j] = Σ_b dy·x over the non-positive x at position j (dalpha 0: not needed). */
export function preluBackward(x: usize, dy: usize, dx: usize, alpha: usize, dalpha: usize, sampleSize: i32, batch: i32): void {
  if (dalpha != 0) memory.fill(dalpha, 0, <usize>sampleSize << 2);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < sampleSize; j++) {
      const o = <usize>(b * sampleSize + j) << 2, a = <usize>j << 2;
      const v = load<f32>(x + o), g = load<f32>(dy + o);
      if (dx != 0) store<f32>(dx + o, v > 0 ? g : g * load<f32>(alpha + a));
      if (dalpha != 0 && v <= 0) store<f32>(dalpha + a, load<f32>(dalpha + a) + g * v);
    }
  }
}
