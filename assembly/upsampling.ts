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

// Bilinear upsampling ('bilinear'), as TF 2's tf.image.resize (Keras' UpSampling2D) computes it:
// half-pixel centres, so output row oy reads input row s = (oy + ½)·(h / outH) − ½, between rows
// ⌊s⌋ and ⌈s⌉ (both clamped into the image) with weight s − ⌊s⌋; likewise columns; then
//   top = tl + (tr − tl)·lx,  bottom = bl + (br − bl)·lx,  y = top + (bottom − top)·ly.
// Backward gives each of the four inputs its weight's share of dy ((1 − lx)(1 − ly) for tl, …).

/** For output index o of an axis of `size` inputs upsampled by `factor`: the lower input index (low 16 bits), the upper one (high 16 bits). */
// @ts-ignore: decorator
@inline function sourcePair(o: i32, factor: i32, size: i32): i32 {
  const s = (<f32>o + 0.5) * (<f32>size / <f32>(size * factor)) - 0.5;
  const f = <i32>Mathf.floor(s);
  const lower = max(f, 0), upper = min(<i32>Mathf.ceil(s), size - 1);
  return lower | (upper << 16);
}

/** The interpolation weight of the upper input for output index o (see sourcePair). */
// @ts-ignore: decorator
@inline function sourceWeight(o: i32, factor: i32, size: i32): f32 {
  const s = (<f32>o + 0.5) * (<f32>size / <f32>(size * factor)) - 0.5;
  return s - Mathf.floor(s);
}

export function upsampleBilinear(x: usize, y: usize, height: i32, width: i32, channels: i32, sh: i32, sw: i32, imageStart: i32, imageEnd: i32): void {
  const outH = height * sh, outW = width * sw;
  for (let b = imageStart; b < imageEnd; b++) {
    const image = x + (<usize>b * height * width * channels << 2);
    for (let oy = 0; oy < outH; oy++) {
      const rows = sourcePair(oy, sh, height), ly = sourceWeight(oy, sh, height);
      const top = image + (<usize>(rows & 0xffff) * width * channels << 2), bottom = image + (<usize>(rows >>> 16) * width * channels << 2);
      const vly = f32x4.splat(ly);
      for (let ox = 0; ox < outW; ox++) {
        const cols = sourcePair(ox, sw, width), lx = sourceWeight(ox, sw, width);
        const left = <usize>(cols & 0xffff) * channels << 2, right = <usize>(cols >>> 16) * channels << 2;
        const out = y + (<usize>((b * outH + oy) * outW + ox) * channels << 2);
        const vlx = f32x4.splat(lx);
        let c = 0;
        for (; c + 4 <= channels; c += 4) {
          const o = <usize>c << 2;
          const tl = v128.load(top + left + o), tr = v128.load(top + right + o), bl = v128.load(bottom + left + o), br = v128.load(bottom + right + o);
          const t = f32x4.add(tl, f32x4.mul(f32x4.sub(tr, tl), vlx)), d = f32x4.add(bl, f32x4.mul(f32x4.sub(br, bl), vlx));
          v128.store(out + o, f32x4.add(t, f32x4.mul(f32x4.sub(d, t), vly)));
        }
        for (; c < channels; c++) {
          const o = <usize>c << 2;
          const tl = load<f32>(top + left + o), tr = load<f32>(top + right + o), bl = load<f32>(bottom + left + o), br = load<f32>(bottom + right + o);
          const t = tl + (tr - tl) * lx, d = bl + (br - bl) * lx;
          store<f32>(out + o, t + (d - t) * ly);
        }
      }
    }
  }
}

export function upsampleBilinearBackward(dy: usize, dx: usize, height: i32, width: i32, channels: i32, sh: i32, sw: i32, imageStart: i32, imageEnd: i32): void {
  const outH = height * sh, outW = width * sw;
  for (let b = imageStart; b < imageEnd; b++) {
    const image = dx + (<usize>b * height * width * channels << 2);
    memory.fill(image, 0, <usize>height * width * channels << 2);
    for (let oy = 0; oy < outH; oy++) {
      const rows = sourcePair(oy, sh, height), ly = sourceWeight(oy, sh, height);
      const top = image + (<usize>(rows & 0xffff) * width * channels << 2), bottom = image + (<usize>(rows >>> 16) * width * channels << 2);
      for (let ox = 0; ox < outW; ox++) {
        const cols = sourcePair(ox, sw, width), lx = sourceWeight(ox, sw, width);
        const left = <usize>(cols & 0xffff) * channels << 2, right = <usize>(cols >>> 16) * channels << 2;
        const g = dy + (<usize>((b * outH + oy) * outW + ox) * channels << 2);
        const wtl = (<f32>1 - lx) * (<f32>1 - ly), wtr = lx * (<f32>1 - ly), wbl = (<f32>1 - lx) * ly, wbr = lx * ly;
        for (let c = 0; c < channels; c++) {
          const o = <usize>c << 2, v = load<f32>(g + o);
          store<f32>(top + left + o, load<f32>(top + left + o) + v * wtl);
          store<f32>(top + right + o, load<f32>(top + right + o) + v * wtr);
          store<f32>(bottom + left + o, load<f32>(bottom + left + o) + v * wbl);
          store<f32>(bottom + right + o, load<f32>(bottom + right + o) + v * wbr);
        }
      }
    }
  }
}
