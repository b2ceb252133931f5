// What the smoke test gives in Node, the reference every other runtime must match bit for bit.
import * as lib from '../../dist/index.js';
// @ts-expect-error: plain JavaScript module shared with the other runtimes
import { smoke } from './smoke.js';

export interface SmokeResult {
  info: { runtime: string; build: string; threads: number; simd: boolean; arenaBytesInUse: number };
  small: number[][];
  randomHash: string;
  productHash: string;
  transposedHash: string;
  error: { name: string; wasmlearn: boolean; message: string } | null;
  milliseconds: number;
}

export async function nodeReference(): Promise<SmokeResult> {
  return smoke(lib, { threads: 1 });
}

/** Checks a runtime's result against Node's: same numbers, same bits, a named error. */
export function expectSameAsNode(result: SmokeResult, reference: SmokeResult, expect: (v: unknown) => any): void {
  expect(result.small).toEqual([[17], [39]]);
  expect(result.randomHash).toBe(reference.randomHash);
  expect(result.productHash).toBe(reference.productHash);
  expect(result.transposedHash).toBe(reference.transposedHash);
  expect(result.error).toMatchObject({ name: 'ShapeError', wasmlearn: true });
  expect(result.error!.message).toMatch(/inner sizes differ/);
  expect(result.info.simd).toBe(true);
  expect(result.info.arenaBytesInUse).toBe(0);
}
