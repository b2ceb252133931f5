// Embedding lookups (Keras' Embedding): each index, held as an f32 value as every model input is,
// picks a row of the table. The gradient adds each position's dy row to the row it picked, in
// position order, so repeated indices sum the same way on every run.

/** The first of count indices that is not an integer in [0, rows), or −1 when every one is. */
export function embeddingCheck(indices: usize, count: i32, rows: i32): i32 {
  for (let i = 0; i < count; i++) {
    const v = load<f32>(indices + (<usize>i << 2));
    if (!(v >= 0 && v < <f32>rows) || v != Mathf.floor(v)) return i;
  }
  return -1;
}

/** Positions start ≤ i < end: out row i (dim f32) = table row indices[i] (checked by embeddingCheck). */
export function embeddingLookup(indices: usize, table: usize, dim: i32, out: usize, start: i32, end: i32): void {
  const bytes = <usize>dim << 2;
  for (let i = start; i < end; i++) {
    const row = <usize>(<i32>load<f32>(indices + (<usize>i << 2)));
    memory.copy(out + <usize>i * bytes, table + row * bytes, bytes);
  }
}

/** grad (rows × dim f32) = Σ over the count positions of dy row i added to row indices[i]; every other row 0. */
export function embeddingGradient(indices: usize, dy: usize, count: i32, rows: i32, dim: i32, grad: usize): void {
  memory.fill(grad, 0, <usize>rows * dim << 2);
  for (let i = 0; i < count; i++) {
    const target = grad + (<usize>(<i32>load<f32>(indices + (<usize>i << 2))) * dim << 2), source = dy + (<usize>i * dim << 2);
    let c = 0;
    for (; c + 4 <= dim; c += 4) v128.store(target + (<usize>c << 2), f32x4.add(v128.load(target + (<usize>c << 2)), v128.load(source + (<usize>c << 2))));
    for (; c < dim; c++) store<f32>(target + (<usize>c << 2), load<f32>(target + (<usize>c << 2)) + load<f32>(source + (<usize>c << 2)));
  }
}
