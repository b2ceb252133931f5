// 2-D max pooling, channels-last, with the argmax of every window kept for the backward pass
// (the gradient flows only to the first largest input of each window). Padding positions are
// skipped, as TensorFlow's 'same' pooling does. Work splits by images.

/** y[b, oy, ox, c] = max over the window; indices[…] = its offset within image b (an i32), unless indices is 0 (inference). */
export function maxPool(
  x: usize, y: usize, indices: usize, height: i32, width: i32, channels: i32, poolH: i32, poolW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32, imageStart: i32, imageEnd: i32,
): void {
  const inSize = <usize>height * width * channels, outSize = <usize>outH * outW * channels;
  for (let b = imageStart; b < imageEnd; b++) {
    const image = x + (<usize>b * inSize << 2);
    for (let oy = 0; oy < outH; oy++) {
      const y0 = max(oy * strideH - padTop, 0), y1 = min(oy * strideH - padTop + poolH, height);
      for (let ox = 0; ox < outW; ox++) {
        const x0 = max(ox * strideW - padLeft, 0), x1 = min(ox * strideW - padLeft + poolW, width);
        const out = (<usize>b * outSize + <usize>(oy * outW + ox) * channels) << 2;
        let c = 0;
        if (indices == 0) {
          // Inference: the maxima alone, with the same comparisons (the first of equal values, NaN never taken).
          for (; c + 4 <= channels; c += 4) {
            let best = f32x4.splat(-Infinity);
            for (let iy = y0; iy < y1; iy++) {
              for (let ix = x0; ix < x1; ix++) {
                const v = v128.load(image + (<usize>((iy * width + ix) * channels + c) << 2));
                best = v128.bitselect(v, best, f32x4.gt(v, best));
              }
            }
            v128.store(y + out + (<usize>c << 2), best);
          }
        }
        for (; c + 4 <= channels; c += 4) {
          let best = f32x4.splat(-Infinity);
          let at = i32x4.splat(-1);
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const offset = (iy * width + ix) * channels + c;
              const v = v128.load(image + (<usize>offset << 2));
              const better = f32x4.gt(v, best);
              best = v128.bitselect(v, best, better);
              at = v128.bitselect(i32x4.add(i32x4.splat(offset), i32x4(0, 1, 2, 3)), at, better);
            }
          }
          v128.store(y + out + (<usize>c << 2), best);
          v128.store(indices + out + (<usize>c << 2), at);
        }
        for (; c < channels; c++) {
          let best: f32 = -Infinity;
          let at = -1;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const offset = (iy * width + ix) * channels + c;
              const v = load<f32>(image + (<usize>offset << 2));
              if (v > best) {
                best = v;
                at = offset;
              }
            }
          }
          store<f32>(y + out + (<usize>c << 2), best);
          if (indices != 0) store<i32>(indices + out + (<usize>c << 2), at);
        }
      }
    }
  }
}

/** dx[b] = 0, then dx[b][indices[b, k]] += dy[b, k] for every pooled value k. */
export function maxPoolBackward(
  dy: usize, indices: usize, dx: usize, inSize: i32, outSize: i32, imageStart: i32, imageEnd: i32,
): void {
  for (let b = imageStart; b < imageEnd; b++) {
    const image = dx + (<usize>b * inSize << 2);
    memory.fill(image, 0, <usize>inSize << 2);
    const base = <usize>b * outSize << 2;
    for (let k = 0; k < outSize; k++) {
      const o = base + (<usize>k << 2);
      const at = load<i32>(indices + o);
      // A window wholly in padding has no input (at = −1) and passes no gradient.
      if (at >= 0) {
        const p = image + (<usize>at << 2);
        store<f32>(p, load<f32>(p) + load<f32>(dy + o));
      }
    }
  }
}

/**
 * y[b, oy, ox, c] = the mean of the window's positions inside the image (padding positions are
 * not counted, as TensorFlow's 'same' average pooling). Work splits by images.
 */
export function avgPool(
  x: usize, y: usize, height: i32, width: i32, channels: i32, poolH: i32, poolW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32, imageStart: i32, imageEnd: i32,
): void {
  const inSize = <usize>height * width * channels, outSize = <usize>outH * outW * channels;
  for (let b = imageStart; b < imageEnd; b++) {
    const image = x + (<usize>b * inSize << 2);
    for (let oy = 0; oy < outH; oy++) {
      const y0 = max(oy * strideH - padTop, 0), y1 = min(oy * strideH - padTop + poolH, height);
      for (let ox = 0; ox < outW; ox++) {
        const x0 = max(ox * strideW - padLeft, 0), x1 = min(ox * strideW - padLeft + poolW, width);
        const count = <f32>((y1 - y0) * (x1 - x0));
        const out = y + ((<usize>b * outSize + <usize>(oy * outW + ox) * channels) << 2);
        for (let c = 0; c < channels; c++) {
          let s: f32 = 0;
          for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s += load<f32>(image + (<usize>((iy * width + ix) * channels + c) << 2));
          store<f32>(out + (<usize>c << 2), count > 0 ? s / count : 0);
        }
      }
    }
  }
}

/** dx[b] = 0, then each window's gradient spread evenly over its positions inside the image. */
export function avgPoolBackward(
  dy: usize, dx: usize, height: i32, width: i32, channels: i32, poolH: i32, poolW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32, imageStart: i32, imageEnd: i32,
): void {
  const inSize = <usize>height * width * channels, outSize = <usize>outH * outW * channels;
  for (let b = imageStart; b < imageEnd; b++) {
    const image = dx + (<usize>b * inSize << 2);
    memory.fill(image, 0, inSize << 2);
    for (let oy = 0; oy < outH; oy++) {
      const y0 = max(oy * strideH - padTop, 0), y1 = min(oy * strideH - padTop + poolH, height);
      for (let ox = 0; ox < outW; ox++) {
        const x0 = max(ox * strideW - padLeft, 0), x1 = min(ox * strideW - padLeft + poolW, width);
        const count = <f32>((y1 - y0) * (x1 - x0));
        if (count == 0) continue;
        const g = dy + ((<usize>b * outSize + <usize>(oy * outW + ox) * channels) << 2);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const at = image + (<usize>((iy * width + ix) * channels) << 2);
            for (let c = 0; c < channels; c++) store<f32>(at + (<usize>c << 2), load<f32>(at + (<usize>c << 2)) + load<f32>(g + (<usize>c << 2)) / count);
          }
        }
      }
    }
  }
}
