// Global average pooling, channels-last: each image's mean over its positions, per channel
// (Keras' GlobalAveragePooling2D and 1D). Work splits by images. (The global max is maxPool with
// the whole image as its window.)

/** y[b, c] = (1/positions) Σ_p x[b, p, c]. */
export function meanPositions(x: usize, y: usize, positions: i32, channels: i32, imageStart: i32, imageEnd: i32): void {
  const scale = f32x4.splat(<f32>1 / <f32>positions);
  for (let b = imageStart; b < imageEnd; b++) {
    const image = x + (<usize>b * positions * channels << 2);
    const out = y + (<usize>b * channels << 2);
    let c = 0;
    for (; c + 4 <= channels; c += 4) {
      let sum = f32x4.splat(0);
      for (let p = 0; p < positions; p++) sum = f32x4.add(sum, v128.load(image + (<usize>(p * channels + c) << 2)));
      v128.store(out + (<usize>c << 2), f32x4.mul(sum, scale));
    }
    for (; c < channels; c++) {
      let sum: f32 = 0;
      for (let p = 0; p < positions; p++) sum += load<f32>(image + (<usize>(p * channels + c) << 2));
      store<f32>(out + (<usize>c << 2), sum * (<f32>1 / <f32>positions));
    }
  }
}

/** dx[b, p, c] = dy[b, c] / positions. */
export function meanPositionsBackward(dy: usize, dx: usize, positions: i32, channels: i32, imageStart: i32, imageEnd: i32): void {
  const scale: f32 = <f32>1 / <f32>positions;
  for (let b = imageStart; b < imageEnd; b++) {
    const g = dy + (<usize>b * channels << 2);
    const image = dx + (<usize>b * positions * channels << 2);
    for (let p = 0; p < positions; p++) {
      for (let c = 0; c < channels; c++) store<f32>(image + (<usize>(p * channels + c) << 2), load<f32>(g + (<usize>c << 2)) * scale);
    }
  }
}
