// Copying a block of rows × cols positions (all channels) between two channels-last images of
// different sizes, per image: zero padding and cropping, forward and backward. Work splits by images.

/**
 * For each image b: optionally zero dst[b], then dst[b][dstTop + i, dstLeft + j, :] = src[b][srcTop + i, srcLeft + j, :]
 * for i < rows, j < cols.
 */
export function copyBlock(
  src: usize, srcH: i32, srcW: i32, dst: usize, dstH: i32, dstW: i32, channels: i32, rows: i32, cols: i32,
  srcTop: i32, srcLeft: i32, dstTop: i32, dstLeft: i32, zeroDst: i32, imageStart: i32, imageEnd: i32,
): void {
  const srcSize = <usize>srcH * srcW * channels, dstSize = <usize>dstH * dstW * channels;
  const rowBytes = <usize>cols * channels << 2;
  for (let b = imageStart; b < imageEnd; b++) {
    const s = src + (<usize>b * srcSize << 2), d = dst + (<usize>b * dstSize << 2);
    if (zeroDst != 0) memory.fill(d, 0, dstSize << 2);
    for (let i = 0; i < rows; i++) {
      memory.copy(d + (<usize>((dstTop + i) * dstW + dstLeft) * channels << 2), s + (<usize>((srcTop + i) * srcW + srcLeft) * channels << 2), rowBytes);
    }
  }
}
