// Masks of attention scores, as Keras' Softmax applies them (keras/src/layers/activations/softmax.py):
// a score whose position is masked out gets −1e9 added before the softmax, so its weight is
// exp(−1e9 + …) = 0 wherever any position of its row is kept (a wholly masked row stays a softmax
// of its scores, as in Keras). The gradient through the addition is the identity.
//   causal: query step i sees key steps j ≤ i (Keras' _compute_causal_mask)
//   mask:   per sample a [tq, tk] array, kept where nonzero, shared by every head
//   the query's and the key's own masks (Keras' query_mask, value_mask / key_mask), [tq] and [tk]:
//           position (i, j) is kept where both are nonzero

const LARGE_NEGATIVE: f32 = -1e9;

/** scores: [batch, heads, tq, tk]; items start ≤ b·heads + h < end; each mask 0: none. */
export function attentionMaskAdd(scores: usize, mask: usize, queryMask: usize, keyMask: usize, causal: i32, heads: i32, tq: i32, tk: i32, start: i32, end: i32): void {
  for (let item = start; item < end; item++) {
    const b = item / heads;
    const s = scores + (<usize>item * <usize>tq * <usize>tk << 2);
    const m = mask + (<usize>b * <usize>tq * <usize>tk << 2);
    const qm = queryMask + (<usize>(b * tq) << 2), km = keyMask + (<usize>(b * tk) << 2);
    for (let i = 0; i < tq; i++) {
      for (let j = 0; j < tk; j++) {
        const at = <usize>(i * tk + j) << 2;
        const kept = (causal == 0 || j <= i) && (mask == 0 || load<f32>(m + at) != 0)
          && (queryMask == 0 || load<f32>(qm + (<usize>i << 2)) != 0) && (keyMask == 0 || load<f32>(km + (<usize>j << 2)) != 0);
        if (!kept) store<f32>(s + at, load<f32>(s + at) + LARGE_NEGATIVE);
      }
    }
  }
}
