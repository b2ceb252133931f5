// Typed wrappers of assembly/layer-norm.ts: layer normalization over the last `cols` values of
// each row, split by rows (forward, dx) or by columns (dγ, dβ).
import type { Backend } from '../runtime/backend.js';

/** y = γ(x − μ)/√(σ² + ε) + β per row of cols values (gamma, beta 0: none); each row's μ and 1/√(σ² + ε) into stats (2 f64 per row; 0: not kept). */
export function layerNormForward(be: Backend, x: number, y: number, rows: number, cols: number, gamma: number, beta: number, epsilon: number, stats: number): void {
  be.launch('layerNormForward', [x, y, cols, gamma, beta, epsilon, stats], rows, 1, rows * cols * 6);
}

/**
 * dγ and dβ (0: not wanted) as column sums over the rows, then dx (may be dy) through each row's
 * statistics, from forward's stats.
 */
export function layerNormBackward(be: Backend, x: number, dy: number, dx: number, rows: number, cols: number, gamma: number, stats: number, dgamma: number, dbeta: number): void {
  if (dgamma || dbeta) be.launch('layerNormParamGrads', [x, dy, rows, cols, stats, dgamma, dbeta], cols, 1, rows * cols * 4);
  if (dx) be.launch('layerNormBackward', [x, dy, dx, cols, gamma, stats], rows, 1, rows * cols * 8);
}
