// Typed wrappers of assembly/dot.ts: the Dot merge's per-sample contraction and the L2
// normalization its `normalize` option applies first.
import type { Backend } from '../runtime/backend.js';

/** How a sample of each input is read: x(i, c) at xsI·i + xsC·c (p × k), y(c, j) at ysC·c + ysJ·j (k × q). */
export interface DotLayout {
  p: number;
  q: number;
  k: number;
  xsI: number;
  xsC: number;
  ysC: number;
  ysJ: number;
  /** Values per sample of x and of y. */
  xSize: number;
  ySize: number;
}

/** The strides for per-sample shapes x and y (rank 1 or 2) summed over their axes ax and ay. */
export function dotLayout(x: readonly number[], y: readonly number[], ax: number, ay: number): DotLayout {
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  // x(i, c): one row for a vector; rows along the axis not summed otherwise.
  const [p, xsI, xsC] = x.length === 1 ? [1, 0, 1] : ax === 1 ? [x[0], x[1], 1] : [x[1], 1, x[1]];
  const [q, ysC, ysJ] = y.length === 1 ? [1, 1, 0] : ay === 0 ? [y[1], y[1], 1] : [y[0], 1, y[1]];
  return { p, q, k: x[ax], xsI, xsC, ysC, ysJ, xSize: size(x), ySize: size(y) };
}

const args = (l: DotLayout) => [l.p, l.q, l.k, l.xsI, l.xsC, l.ysC, l.ysJ, l.xSize, l.ySize] as const;

/** z (batch × p × q) = the contraction of x and y. */
export function dotForward(be: Backend, l: DotLayout, x: number, y: number, z: number, batch: number): void {
  be.call('dotForward', x, y, z, batch, ...args(l));
}

/** dx and dy from dz (0: not needed). */
export function dotBackward(be: Backend, l: DotLayout, x: number, y: number, dz: number, dx: number, dy: number, batch: number): void {
  be.call('dotBackward', x, y, dz, dx, dy, batch, ...args(l));
}

/** u = x / ‖x‖ over the middle axis of outer × n × inner; norms: outer × inner values. */
export function l2NormalizeForward(be: Backend, x: number, u: number, norms: number, outer: number, n: number, inner: number): void {
  be.call('l2NormalizeForward', x, u, norms, outer, n, inner);
}

/** dx from du through the normalization. */
export function l2NormalizeBackward(be: Backend, u: number, norms: number, du: number, dx: number, outer: number, n: number, inner: number): void {
  be.call('l2NormalizeBackward', u, norms, du, dx, outer, n, inner);
}
