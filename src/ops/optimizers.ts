// Typed wrappers of assembly/optimizers.ts: one update of n weights w from their gradient g.
import type { Backend } from '../runtime/backend.js';

export function sgdStep(be: Backend, w: number, g: number, velocity: number, n: number, learningRate: number, momentum: number, nesterov: boolean): void {
  be.call('sgdStep', w, g, velocity, n, learningRate, momentum, +nesterov);
}

export function adamStep(be: Backend, w: number, g: number, m: number, v: number, n: number, stepSize: number, beta1: number, beta2: number, epsilon: number): void {
  be.call('adamStep', w, g, m, v, n, stepSize, beta1, beta2, epsilon);
}

export function rmspropStep(be: Backend, w: number, g: number, meanSquare: number, n: number, learningRate: number, rho: number, epsilon: number): void {
  be.call('rmspropStep', w, g, meanSquare, n, learningRate, rho, epsilon);
}

export function adagradStep(be: Backend, w: number, g: number, accumulator: number, n: number, learningRate: number, epsilon: number): void {
  be.call('adagradStep', w, g, accumulator, n, learningRate, epsilon);
}
