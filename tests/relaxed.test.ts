// The relaxed-SIMD build (fused multiply-add in the GEMM), opt-in with init({ relaxedSimd }).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { init, RuntimeUnavailableError } from '../dist/index.js';
import { relaxedSimdSupported } from '../src/runtime/platform.js';
import { naiveMatMul } from './reference.js';

describe('relaxed SIMD', () => {
  it('is refused with a clear error where the runtime lacks it, used where it has it', async () => {
    if (relaxedSimdSupported()) {
      expect(await init({ relaxedSimd: true, threads: 1 })).toMatchObject({ relaxedSimd: true });
    } else {
      const attempt = init({ relaxedSimd: true });
      await expect(attempt).rejects.toBeInstanceOf(RuntimeUnavailableError);
      await expect(init({ relaxedSimd: true })).rejects.toThrow(/--experimental-wasm-relaxed-simd/);
      expect(await init({ relaxedSimd: 'auto', threads: 1 })).toMatchObject({ relaxedSimd: false });
    }
    await expect(init({ relaxedSimd: 'yes' as never })).rejects.toThrow(/relaxedSimd must be true, false or 'auto'; received the string "yes"/);
  });

  it('gives correct products, the same bits for 1, 2 and 4 threads, and runs the smoke test', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', 'tests/relaxed-child.mjs'], {
      encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20,
    }));
    for (const t of ['1', '2', '4']) {
      expect(out.info[t]).toMatchObject({ relaxedSimd: true, build: 'threads', threads: Number(t) });
      expect(out.hashes[t]).toBe(out.hashes['1']);
      expect(out.smoke[t].productHash).toBe(out.smoke['1'].productHash);
      expect(out.smoke[t].small).toEqual([[17], [39]]);
    }
    expect(out.standard.info).toMatchObject({ relaxedSimd: false, build: 'threads' });
    // Against the f64 reference, within the f32 bound.
    const reference = naiveMatMul(out.a, out.b, 300, 190, 257, false, false);
    for (let i = 0; i < out.relaxedProduct.length; i++) {
      expect(Math.abs(out.relaxedProduct[i] - reference.value[i])).toBeLessThanOrEqual(2e-7 * 259 * reference.magnitude[i]);
    }
  });
});
