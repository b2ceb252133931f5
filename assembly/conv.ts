// 2-D convolution as im2col + GEMM (channels-last, as Keras): image b's patch at output (oy, ox)
// becomes row (b·outH + oy)·outW + ox of a matrix whose columns run over (ky, kx, c), so the
// layer's output is that matrix times the kernel reshaped to [kernelH·kernelW·channels, filters],
// which is exactly Keras' kernel layout [kh, kw, in, out]; a dilated kernel reads every d-th pixel.
// Padding reads as zeros. Backward,
// col2im adds each patch gradient back to the pixels it came from. Work splits by images.
// A grouped convolution (Keras' groups) takes the patches of one group's channels at a time:
// channels [channelStart, channelStart + channelCount) of each pixel (all of them without groups).

/** Copies n floats (short runs: inline SIMD beats a memory.copy call). */
// @ts-ignore: decorator
@inline
function copyRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** Rows of `col` for images imageStart ≤ b < imageEnd of x [batch, height, width, channels], over channels [channelStart, channelStart + channelCount). */
export function im2col(
  x: usize, col: usize, height: i32, width: i32, channels: i32, channelStart: i32, channelCount: i32, kernelH: i32, kernelW: i32,
  strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32, imageStart: i32, imageEnd: i32,
): void {
  const patch = kernelH * kernelW * channelCount;
  const run = <usize>channelCount << 2;
  const whole = channelCount == channels;
  for (let b = imageStart; b < imageEnd; b++) {
    const image = x + (<usize>(b * height * width * channels + channelStart) << 2);
    let dst = col + (<usize>b * outH * outW * patch << 2);
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        for (let ky = 0; ky < kernelH; ky++) {
          const iy = oy * strideH - padTop + ky * dilationH;
          if (iy < 0 || iy >= height) {
            memory.fill(dst, 0, run * kernelW);
            dst += run * kernelW;
            continue;
          }
          const ix0 = ox * strideW - padLeft;
          if (whole && dilationW == 1 && ix0 >= 0 && ix0 + kernelW <= width) {
            // The whole row of the window is inside the image: one contiguous run of floats.
            copyRun(dst, image + (<usize>(iy * width + ix0) * channels << 2), kernelW * channels);
            dst += run * kernelW;
            continue;
          }
          for (let kx = 0; kx < kernelW; kx++) {
            const ix = ix0 + kx * dilationW;
            if (ix < 0 || ix >= width) memory.fill(dst, 0, run);
            else copyRun(dst, image + (<usize>(iy * width + ix) * channels << 2), channelCount);
            dst += run;
          }
        }
      }
    }
  }
}

/** dx[b] = Σ of the patch gradients in dcol over the pixels they cover (dx's channels [channelStart, channelStart + channelCount) overwritten). */
export function col2im(
  dcol: usize, dx: usize, height: i32, width: i32, channels: i32, channelStart: i32, channelCount: i32, kernelH: i32, kernelW: i32,
  strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32, imageStart: i32, imageEnd: i32,
): void {
  const patch = kernelH * kernelW * channelCount;
  const run = <usize>channelCount << 2;
  for (let b = imageStart; b < imageEnd; b++) {
    const image = dx + (<usize>(b * height * width * channels + channelStart) << 2);
    if (channelCount == channels) memory.fill(image, 0, <usize>height * width * run);
    else for (let p = 0; p < height * width; p++) memory.fill(image + (<usize>p * channels << 2), 0, run);
    let src = dcol + (<usize>b * outH * outW * patch << 2);
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        for (let ky = 0; ky < kernelH; ky++) {
          const iy = oy * strideH - padTop + ky * dilationH;
          for (let kx = 0; kx < kernelW; kx++) {
            const ix = ox * strideW - padLeft + kx * dilationW;
            if (iy >= 0 && iy < height && ix >= 0 && ix < width) {
              const p = image + (<usize>(iy * width + ix) * channels << 2);
              let c = 0;
              for (; c + 4 <= channelCount; c += 4) {
                const o = <usize>c << 2;
                v128.store(p + o, f32x4.add(v128.load(p + o), v128.load(src + o)));
              }
              for (; c < channelCount; c++) {
                const o = <usize>c << 2;
                store<f32>(p + o, load<f32>(p + o) + load<f32>(src + o));
              }
            }
            src += run;
          }
        }
      }
    }
  }
}
