// Nearest-neighbour upsampling of channels-last images by whole factors (Keras' UpSampling2D,
// interpolation 'nearest'): y[oy, ox, c] = x[⌊oy/sh⌋, ⌊ox/sw⌋, c]; backward sums each block of
// sh × sw output gradients into its input position. Work splits by images.

export function upsampleNearest(x: usize, y: usize, height: i32, width: i32, channels: i32, sh: i32, sw: i32, imageStart: i32, imageEnd: i32): void {
  const outH = height * sh, outW = width * sw, rowBytes = <usize>channels << 2;
  for (let b = imageStart; b < imageEnd; b++) {
    const image = x + (<usize>b * height * width * channels << 2), out = y + (<usize>b * outH * outW * channels << 2);
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        memory.copy(out + (<usize>(oy * outW + ox) * channels << 2), image + (<usize>((oy / sh) * width + ox / sw) * channels << 2), rowBytes);
      }
    }
  }
}

export function upsampleNearestBackward(dy: usize, dx: usize, height: i32, width: i32, channels: i32, sh: i32, sw: i32, imageStart: i32, imageEnd: i32): void {
  const outH = height * sh, outW = width * sw;
  for (let b = imageStart; b < imageEnd; b++) {
    const image = dx + (<usize>b * height * width * channels << 2), g = dy + (<usize>b * outH * outW * channels << 2);
    memory.fill(image, 0, <usize>height * width * channels << 2);
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const at = image + (<usize>((oy / sh) * width + ox / sw) * channels << 2), from = g + (<usize>(oy * outW + ox) * channels << 2);
        for (let c = 0; c < channels; c++) store<f32>(at + (<usize>c << 2), load<f32>(at + (<usize>c << 2)) + load<f32>(from + (<usize>c << 2)));
      }
    }
  }
}
