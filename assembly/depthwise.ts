// Depthwise 2-D convolution, channels-last (Keras' DepthwiseConv2D): each input channel c has its
// own depthMultiplier (M) filters; output channel c·M + m is
//   y[oy, ox, c·M + m] = Σ_{ky,kx} x[oy·sh + ky·dh − padTop, ox·sw + kx·dw − padLeft, c] · k[ky, kx, c, m]
// (dh, dw the dilation)
// (positions outside the image are zeros). Direct loops, four channels at a time when M = 1 (the
// MobileNet case: the kernel's and the image's channels are then both contiguous). Forward splits by output
// rows, the input gradient by images; the kernel gradient sums over every image in one pass.

import { scaleShiftRun } from './batch-norm';

/**
 * y (bias and activation added afterwards by biasActivation), split by output rows (image b, row oy
 * as b · outH + oy) so one image spreads over the threads. Each output sums its taps in (ky, kx)
 * order from zero whatever the channel block, so every path gives the same bits. With `scale` ≠ 0,
 * each output pixel then gets r((y + bias)·scale + shift) while in cache (batch normalization at inference
 * and a ReLU-family rectifier: see gemmNormalized).
 */
export function depthwiseForward(
  x: usize, k: usize, y: usize, height: i32, width: i32, channels: i32, multiplier: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32,
  bias: usize, scale: usize, shift: usize, ra: f32, rb: f32, rc: f32, rowStart: i32, rowEnd: i32,
): void {
  const outC = channels * multiplier;
  const rowBytes = <usize>width * channels << 2, tapBytes = <usize>channels << 2;
  for (let row = rowStart; row < rowEnd; row++) {
    const b = row / outH, oy = row % outH;
    const image = x + (<usize>b * height * width * channels << 2);
    // The taps that land inside the image: ky in [kyLo, kyHi), and per column kx in [kxLo, kxHi).
    const top = oy * sh - padTop;
    const kyLo = firstInside(top, dh), kyHi = min(kh, lastInside(top, dh, height));
    for (let ox = 0; ox < outW; ox++) {
      const out = y + (<usize>(row * outW + ox) * outC << 2);
      const left = ox * sw - padLeft;
      const kxLo = firstInside(left, dw), kxHi = min(kw, lastInside(left, dw, width));
      if (multiplier == 1) {
        let c = 0;
        // Sixteen channels in four registers: one pass over the taps feeds four accumulators.
        for (; c + 16 <= channels; c += 16) {
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          for (let ky = kyLo; ky < kyHi; ky++) {
            const src = image + <usize>(top + ky * dh) * rowBytes + (<usize>c << 2);
            const w = k + <usize>(ky * kw) * tapBytes + (<usize>c << 2);
            for (let kx = kxLo; kx < kxHi; kx++) {
              const p = src + <usize>(left + kx * dw) * tapBytes, q = w + <usize>kx * tapBytes;
              a0 = f32x4.add(a0, f32x4.mul(v128.load(p), v128.load(q)));
              a1 = f32x4.add(a1, f32x4.mul(v128.load(p, 16), v128.load(q, 16)));
              a2 = f32x4.add(a2, f32x4.mul(v128.load(p, 32), v128.load(q, 32)));
              a3 = f32x4.add(a3, f32x4.mul(v128.load(p, 48), v128.load(q, 48)));
            }
          }
          const o = out + (<usize>c << 2);
          v128.store(o, a0);
          v128.store(o, a1, 16);
          v128.store(o, a2, 32);
          v128.store(o, a3, 48);
        }
        for (; c + 4 <= channels; c += 4) {
          let acc = f32x4.splat(0);
          for (let ky = kyLo; ky < kyHi; ky++) {
            const src = image + <usize>(top + ky * dh) * rowBytes + (<usize>c << 2);
            const w = k + <usize>(ky * kw) * tapBytes + (<usize>c << 2);
            for (let kx = kxLo; kx < kxHi; kx++) {
              acc = f32x4.add(acc, f32x4.mul(v128.load(src + <usize>(left + kx * dw) * tapBytes), v128.load(w + <usize>kx * tapBytes)));
            }
          }
          v128.store(out + (<usize>c << 2), acc);
        }
        for (; c < channels; c++) store<f32>(out + (<usize>c << 2), depthwiseTap(image, k, c, 0, 1, channels, kw, top, left, dh, dw, width, kyLo, kyHi, kxLo, kxHi));
      } else {
        for (let c = 0; c < channels; c++) {
          for (let m = 0; m < multiplier; m++) {
            store<f32>(out + (<usize>(c * multiplier + m) << 2), depthwiseTap(image, k, c, m, multiplier, channels, kw, top, left, dh, dw, width, kyLo, kyHi, kxLo, kxHi));
          }
        }
      }
      if (scale != 0) scaleShiftRun(out, out, outC, bias, scale, shift, ra, rb, rc);
    }
  }
}

/** The first tap index t ≥ 0 with start + t · step ≥ 0. */
// @ts-ignore: decorator
@inline function firstInside(start: i32, step: i32): i32 {
  return start >= 0 ? 0 : (-start + step - 1) / step;
}

/** One past the last tap index t with start + t · step < size (0 when none). */
// @ts-ignore: decorator
@inline function lastInside(start: i32, step: i32, size: i32): i32 {
  return start >= size ? 0 : (size - start + step - 1) / step;
}

/** One output of channel c, multiplier m: its taps in (ky, kx) order. */
function depthwiseTap(
  image: usize, k: usize, c: i32, m: i32, multiplier: i32, channels: i32, kw: i32, top: i32, left: i32, dh: i32, dw: i32, width: i32,
  kyLo: i32, kyHi: i32, kxLo: i32, kxHi: i32,
): f32 {
  let acc: f32 = 0;
  for (let ky = kyLo; ky < kyHi; ky++) {
    for (let kx = kxLo; kx < kxHi; kx++) {
      acc += load<f32>(image + (<usize>(((top + ky * dh) * width + left + kx * dw) * channels + c) << 2)) * load<f32>(k + (<usize>(((ky * kw + kx) * channels + c) * multiplier + m) << 2));
    }
  }
  return acc;
}

/** dx[b] = Σ over outputs of dz · k, scattered back to the input positions (dx zeroed first). */
export function depthwiseBackwardInput(
  dz: usize, k: usize, dx: usize, height: i32, width: i32, channels: i32, multiplier: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32, imageStart: i32, imageEnd: i32,
): void {
  const outC = channels * multiplier;
  for (let b = imageStart; b < imageEnd; b++) {
    const image = dx + (<usize>b * height * width * channels << 2);
    memory.fill(image, 0, <usize>height * width * channels << 2);
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const g = dz + (<usize>((b * outH + oy) * outW + ox) * outC << 2);
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - padTop;
          if (iy < 0 || iy >= height) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx * dw - padLeft;
            if (ix < 0 || ix >= width) continue;
            const at = image + (<usize>((iy * width + ix) * channels) << 2);
            for (let c = 0; c < channels; c++) {
              let s: f32 = 0;
              for (let m = 0; m < multiplier; m++) s += load<f32>(g + (<usize>(c * multiplier + m) << 2)) * load<f32>(k + (<usize>(((ky * kw + kx) * channels + c) * multiplier + m) << 2));
              store<f32>(at + (<usize>c << 2), load<f32>(at + (<usize>c << 2)) + s);
            }
          }
        }
      }
    }
  }
}

/** dk[ky, kx, c, m] = Σ over images and outputs of x · dz (dk overwritten). */
export function depthwiseBackwardKernel(
  x: usize, dz: usize, dk: usize, batch: i32, height: i32, width: i32, channels: i32, multiplier: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32,
): void {
  const outC = channels * multiplier;
  memory.fill(dk, 0, <usize>kh * kw * outC << 2);
  for (let b = 0; b < batch; b++) {
    const image = x + (<usize>b * height * width * channels << 2);
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const g = dz + (<usize>((b * outH + oy) * outW + ox) * outC << 2);
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - padTop;
          if (iy < 0 || iy >= height) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx * dw - padLeft;
            if (ix < 0 || ix >= width) continue;
            const at = image + (<usize>((iy * width + ix) * channels) << 2);
            const kAt = dk + (<usize>((ky * kw + kx) * outC) << 2);
            for (let o = 0; o < outC; o++) {
              const c = o / multiplier;
              store<f32>(kAt + (<usize>o << 2), load<f32>(kAt + (<usize>o << 2)) + load<f32>(at + (<usize>c << 2)) * load<f32>(g + (<usize>o << 2)));
            }
          }
        }
      }
    }
  }
}
