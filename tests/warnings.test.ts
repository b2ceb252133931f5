// The warnings channel: a solver stopped at maxIter warns once per cause (as scikit-learn's
// ConvergenceWarning), and filters print every time, silence, or turn warnings into errors.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogisticRegression, NuSVR, SVC, ValueError, WasmlearnWarning, loadIris, warnings } from '../dist/index.js';

const iris = loadIris();

function capture(): { messages: string[]; restore: () => void } {
  const messages: string[] = [];
  const spy = vi.spyOn(console, 'warn').mockImplementation((m: unknown) => void messages.push(String(m)));
  return { messages, restore: () => spy.mockRestore() };
}

describe('warnings', () => {
  afterEach(() => warnings.reset());

  it('SMO stopped at maxIter warns once per cause, and fitStatus says so; a converged fit is silent', async () => {
    const seen = capture();
    try {
      const converged = await new SVC({ C: 1 }).fit(iris.data, iris.target);
      expect(converged.fitStatus).toBe(0);
      expect(seen.messages).toEqual([]);
      const stopped = await new SVC({ C: 100, maxIter: 3 }).fit(iris.data, iris.target);
      expect(stopped.fitStatus).toBe(1);
      await new SVC({ C: 100, maxIter: 3 }).fit(iris.data, iris.target);
      expect(seen.messages).toHaveLength(1);
      expect(seen.messages[0]).toMatch(/convergence warning: SVC\.fit: the solver stopped at maxIter \(3\) before converging/);
      const regressor = await new NuSVR({ maxIter: 2 }).fit(iris.data, iris.data.map((row) => row[0]));
      expect(regressor.fitStatus).toBe(1);
      expect(seen.messages).toHaveLength(2);
      expect(seen.messages[1]).toMatch(/NuSVR\.fit: the solver stopped at maxIter \(2\)/);
    } finally {
      seen.restore();
    }
  });

  it('L-BFGS stopped at maxIter warns; a converged logistic regression does not', async () => {
    const seen = capture();
    try {
      await new LogisticRegression({ maxIter: 1000 }).fit(iris.data, iris.target);
      expect(seen.messages).toEqual([]);
      const model = await new LogisticRegression({ maxIter: 2 }).fit(iris.data, iris.target);
      expect(model.nIter).toBe(2);
      expect(seen.messages).toHaveLength(1);
      expect(seen.messages[0]).toMatch(/LogisticRegression\.fit: L-BFGS stopped at maxIter \(2\)/);
    } finally {
      seen.restore();
    }
  });

  it("filters: 'always' prints every time, 'ignore' nothing, 'error' throws a WasmlearnWarning; reset restores the default", async () => {
    const seen = capture();
    try {
      warnings.filter('always', 'convergence');
      for (let i = 0; i < 3; i++) await new LogisticRegression({ maxIter: 1 }).fit(iris.data, iris.target);
      expect(seen.messages).toHaveLength(3);
      warnings.filter('ignore');
      await new LogisticRegression({ maxIter: 1 }).fit(iris.data, iris.target);
      expect(seen.messages).toHaveLength(3);
      warnings.filter('error', 'convergence');
      const error = await new LogisticRegression({ maxIter: 1 }).fit(iris.data, iris.target).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WasmlearnWarning);
      expect((error as WasmlearnWarning).category).toBe('convergence');
      warnings.reset();
      await new LogisticRegression({ maxIter: 1 }).fit(iris.data, iris.target);
      await new LogisticRegression({ maxIter: 1 }).fit(iris.data, iris.target);
      expect(seen.messages).toHaveLength(4);
    } finally {
      seen.restore();
    }
  });

  it('refuses unknown actions and categories, naming them', () => {
    expect(() => warnings.filter('loud' as never)).toThrow(ValueError);
    expect(() => warnings.filter('loud' as never)).toThrow(/action must be one of 'default', 'always', 'ignore', 'error'; received the string "loud"/);
    expect(() => warnings.filter('ignore', 'deprecation' as never)).toThrow(/category must be one of 'convergence', 'runtime'/);
  });
});
