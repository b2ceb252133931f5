// What the smoke test gives in Node, the reference every other runtime must match bit for bit.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as lib from '../../dist/index.js';
// @ts-expect-error: plain JavaScript module shared with the other runtimes
import { smoke } from './smoke.js';
// @ts-expect-error: plain JavaScript module shared with the other runtimes
import { contract } from '../conformance/contract.js';

export interface SmokeResult {
  clustering: { centres: string; labels: string; inertia: number; nIter: number; elkanSameLabels: boolean; restoredSame: boolean };
  boosting: { nIter: number; validation: string; proba: string; regression: string; restoredSame: boolean };
  sequence: { loss: number[]; predictionHash: string; reloadedHash: string; attentionLoss: number[]; attentionHash: string; statesLoss: number[]; statesHash: string };
  workflow: { scores: number[]; sameOnWorkers: boolean; best: number; meanF1: number[]; report: string; mcc: number; ami: number };
  network: { loss: number[]; accuracy: number[]; predictionHash: string; reloadedHash: string };
  vision: { loss: number[]; predictionHash: string; reloadedHash: string };
  trees: { thresholds: string; treeText: number; forestProba: string; restoredSame: boolean; oob: number; neighbours: string; knnProba: string };
  linear: {
    testIndex: string; randomizedPixels: string; randomizedGeneric: string; pcaRatio: number[]; pcaComponents: string; ldaTransform: string; ldaRestoredSame: boolean; logisticProba: string; olsCoef: number[]; report: string;
  };
  svm: { support: number[]; decisionHash: string; probaHash: string; accuracy: number; restoredSame: boolean; oneClassHash: string };
  info: { runtime: string; build: string; threads: number; simd: boolean; arenaBytesInUse: number };
  small: number[][];
  randomHash: string;
  productHash: string;
  transposedHash: string;
  error: { name: string; wasmlearn: boolean; message: string } | null;
  milliseconds: number;
}

/** The conformance contract's result (tests/conformance/contract.js): per entry, hashes and flags. */
export type ContractResult = Record<string, Record<string, unknown>>;

/** The contract in Node, on one thread: the reference every other runtime must match bit for bit. */
export async function nodeContract(): Promise<ContractResult> {
  await lib.init({ threads: 1 });
  return contract(lib);
}

export async function nodeReference(): Promise<SmokeResult> {
  return smoke(lib, { threads: 1 });
}

/**
 * The smoke test on the relaxed-SIMD build in Node, started with --experimental-wasm-relaxed-simd
 * (Node 20 has relaxed SIMD behind that flag): the reference for the relaxed build elsewhere.
 */
export function nodeRelaxedReference(): SmokeResult {
  const script = `
    import * as lib from './dist/index.js';
    import { smoke } from './tests/runtimes/smoke.js';
    console.log(JSON.stringify(await smoke(lib, { threads: 2, relaxedSimd: true })));`;
  const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', script], {
    encoding: 'utf8', timeout: 60_000, cwd: fileURLToPath(new URL('../../', import.meta.url)),
  });
  const result = JSON.parse(out) as SmokeResult & { info: { relaxedSimd: boolean } };
  if (!result.info.relaxedSimd) throw new Error('the Node reference did not run the relaxed build');
  return result;
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
  expect(result.network).toEqual(reference.network);
  expect(result.network.reloadedHash).toBe(result.network.predictionHash);
  expect(result.network.loss[2]).toBeLessThan(result.network.loss[0]);
  expect(result.vision).toEqual(reference.vision);
  expect(result.vision.reloadedHash).toBe(result.vision.predictionHash);
  expect(result.svm).toEqual(reference.svm);
  expect(result.trees).toEqual(reference.trees);
  expect(result.trees.restoredSame).toBe(true);
  expect(result.linear).toEqual(reference.linear);
  expect(result.linear.ldaRestoredSame).toBe(true);
  expect(result.linear.pcaRatio[0]).toBeCloseTo(0.92461872, 7);
  expect(result.svm.restoredSame).toBe(true);
  expect(result.svm.accuracy).toBeGreaterThan(0.9);
  expect(result.workflow).toEqual(reference.workflow);
  expect(result.workflow.sameOnWorkers).toBe(true);
  expect(result.clustering).toEqual(reference.clustering);
  expect(result.clustering.elkanSameLabels).toBe(true);
  expect(result.clustering.restoredSame).toBe(true);
  expect(result.boosting).toEqual(reference.boosting);
  expect(result.boosting.restoredSame).toBe(true);
  expect(result.sequence).toEqual(reference.sequence);
  expect(result.sequence.reloadedHash).toBe(result.sequence.predictionHash);
  expect(result.sequence.loss[2]).toBeLessThan(result.sequence.loss[0]);
  expect(result.sequence.attentionLoss[2]).toBeLessThan(result.sequence.attentionLoss[0]);
  expect(result.sequence.statesLoss[2]).toBeLessThan(result.sequence.statesLoss[0]);
}
