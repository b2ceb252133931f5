// Depthwise 2-D convolution, channels-last (Keras' DepthwiseConv2D): each input channel c has its
// own depthMultiplier (M) filters; output channel c·M + m is
//   y[oy, ox, c·M + m] = Σ_{ky,kx} x[oy·sh + ky·dh − padTop, ox·sw + kx·dw − padLeft, c] · k[ky, kx, c, m]
// (dh, dw the dilation)
// (positions outside the image are zeros). Direct loops, four channels at a time when M = 1 (the
// MobileNet case: the kernel's and the image's channels are then both contiguous). Forward and the
// input gradient split by images; the kernel gradient sums over every image in one pass.

/** y (bias and activation added afterwards by biasActivation). */
export function depthwiseForward(
  x: usize, k: usize, y: usize, height: i32, width: i32, channels: i32, multiplier: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32, imageStart: i32, imageEnd: i32,
): void {
  const outC = channels * multiplier;
  for (let b = imageStart; b < imageEnd; b++) {
    const image = x + (<usize>b * height * width * channels << 2);
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const out = y + (<usize>((b * outH + oy) * outW + ox) * outC << 2);
        let c = 0;
        if (multiplier == 1) {
          for (; c + 4 <= channels; c += 4) {
            let acc = f32x4.splat(0);
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh + ky * dh - padTop;
              if (iy < 0 || iy >= height) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw + kx * dw - padLeft;
                if (ix < 0 || ix >= width) continue;
                acc = f32x4.add(acc, f32x4.mul(v128.load(image + (<usize>((iy * width + ix) * channels + c) << 2)), v128.load(k + (<usize>((ky * kw + kx) * channels + c) << 2))));
              }
            }
            v128.store(out + (<usize>c << 2), acc);
          }
        }
        for (; c < channels; c++) {
          for (let m = 0; m < multiplier; m++) {
            let acc: f32 = 0;
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh + ky * dh - padTop;
              if (iy < 0 || iy >= height) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw + kx * dw - padLeft;
                if (ix < 0 || ix >= width) continue;
                acc += load<f32>(image + (<usize>((iy * width + ix) * channels + c) << 2)) * load<f32>(k + (<usize>(((ky * kw + kx) * channels + c) * multiplier + m) << 2));
              }
            }
            store<f32>(out + (<usize>(c * multiplier + m) << 2), acc);
          }
        }
      }
    }
  }
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
