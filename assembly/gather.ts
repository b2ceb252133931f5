// Gathering rows by index: a training batch from data copied into the module once per fit.
// out row i = src row indices[first + i], `width` f32 values each, for i < count.
export function gatherRows(src: usize, width: i32, indices: usize, first: i32, count: i32, out: usize): void {
  const bytes = <usize>width << 2;
  for (let i = 0; i < count; i++) {
    const row = <usize>load<i32>(indices + (<usize>(first + i) << 2));
    memory.copy(out + <usize>i * bytes, src + row * bytes, bytes);
  }
}
