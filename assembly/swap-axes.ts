// Two axes of an f32 array swapped: the layouts ONNX files store weights and images in, turned
// into the ones the kernels read (filters last, channels last), and back.
// Pure function over memory: a copy of bits, no arithmetic.

/**
 * y = x with axes a and b swapped: x is [outer][a][mid][b][inner], y [outer][b][mid][a][inner].
 * Runs of `inner` values move whole. x and y must not overlap.
 */
export function swapAxes(x: usize, y: usize, outer: i32, a: i32, mid: i32, b: i32, inner: i32): void {
  const run = <usize>inner << 2;
  const block = <usize>a * <usize>mid * <usize>b * run;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * block, yo = y + <usize>o * block;
    for (let i = 0; i < a; i++) {
      for (let m = 0; m < mid; m++) {
        let src = xo + (<usize>i * mid + m) * <usize>b * run;
        let dst = yo + (<usize>m * a + i) * run;
        const step = <usize>mid * <usize>a * run;
        if (inner == 1) {
          // One value per run: a 32-bit load and store (bits as they are, NaN payloads too).
          for (let j = 0; j < b; j++) {
            store<u32>(dst, load<u32>(src));
            src += 4;
            dst += step;
          }
        } else {
          for (let j = 0; j < b; j++) {
            memory.copy(dst, src, run);
            src += run;
            dst += step;
          }
        }
      }
    }
  }
}
