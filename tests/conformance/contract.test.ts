// The conformance contract (contract.js) in Node: every entry passes it, with the same bits on
// one and two threads. tests/runtimes/ runs the same code in Deno, Chromium and workerd and
// compares their results with Node's.
import { describe, expect, it } from 'vitest';
import * as wl from '../../dist/index.js';
// @ts-expect-error: plain JavaScript module shared with the other runtimes
import { contract, failures } from './contract.js';
import { ESTIMATORS } from './registry.js';

describe('the conformance contract in Node', () => {
  it('every entry passes it, with the same bits on 1 and 2 threads', async () => {
    await wl.init({ threads: 1 });
    const one = await contract(wl);
    expect(Object.keys(one)).toEqual(ESTIMATORS.map((e) => e.name));
    expect(failures(one)).toEqual([]);
    await wl.init({ threads: 2 });
    const two = await contract(wl);
    expect(two).toEqual(one);
  });

  it('notices a broken estimator (a mutation: an option no longer refused, a load that changes outputs)', async () => {
    await wl.init({ threads: 1 });
    const results = await contract(wl, { only: /^KMeans$/ });
    results.KMeans.badOptions[0] = false;
    results.KMeans.loadedSame = false;
    expect(failures(results)).toEqual(['KMeans: loadedSame', 'KMeans: bad option 0']);
  });
});
