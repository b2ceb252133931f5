// scikit-learn's RandomizedSearchCV: nIter candidates drawn from the distributions (and lists) of
// each parameter, keys in sorted order, as its ParameterSampler: when every parameter is a list
// the candidates are drawn from the grid without replacement (all of it if nIter is larger).
import { ValueError, describe } from '../errors.js';
import { withGenerator } from '../ops/generator.js';
import { backend } from '../runtime/backend.js';
import { nextSeed } from '../seed.js';
import { warn } from '../warnings.js';
import { isDistribution, type Distribution } from './distributions.js';
import { parameterGrid } from './grid-search.js';
import { SearchCV, type SearchOptions } from './search-cv.js';

export type ParamDistributions = Record<string, Distribution | readonly unknown[]>;

export interface RandomizedSearchOptions extends SearchOptions {
  /** Per parameter a distribution (uniform, logUniform, randint) or a list of values; or a list of such objects, one picked per draw. */
  paramDistributions: ParamDistributions | ParamDistributions[];
  /** Candidates to draw (default 10). */
  nIter?: number;
  seed?: number | null;
}

function check(d: ParamDistributions | ParamDistributions[], where: string): ParamDistributions[] {
  const list = Array.isArray(d) ? d : [d];
  if (list.length === 0) throw new ValueError(`${where}: paramDistributions is empty`);
  for (const one of list) {
    if (one === null || typeof one !== 'object' || Array.isArray(one)) throw new ValueError(`${where}: paramDistributions must be an object of distributions or value lists; received ${describe(one)}`);
    for (const [k, v] of Object.entries(one)) {
      if (!isDistribution(v) && !(Array.isArray(v) && v.length > 0)) throw new ValueError(`${where}: paramDistributions' '${k}' must be a distribution (uniform, logUniform, randint) or a non-empty array; received ${describe(v)}`);
    }
  }
  return list;
}

/** Cross-validated search over parameters drawn at random. */
export class RandomizedSearchCV extends SearchCV {
  constructor(options: RandomizedSearchOptions) {
    super(options, ['paramDistributions', 'nIter', 'seed'], 'RandomizedSearchCV');
    check(options.paramDistributions, 'RandomizedSearchCV');
    const n = options.nIter ?? 10;
    if (!Number.isSafeInteger(n) || n < 1) throw new ValueError(`RandomizedSearchCV: nIter must be an integer ≥ 1; received ${describe(options.nIter)}`);
    const seed = options.seed ?? null;
    if (seed !== null && !Number.isSafeInteger(seed)) throw new ValueError(`RandomizedSearchCV: seed must be an integer or null; received ${describe(seed)}`);
  }

  protected candidates(): Record<string, unknown>[] {
    const where = 'RandomizedSearchCV';
    const o = this.o as RandomizedSearchOptions;
    const list = check(o.paramDistributions, where);
    let nIter = o.nIter ?? 10;
    return withGenerator(backend(), nextSeed(o.seed ?? undefined, where), (random) => {
      if (list.every((d) => Object.values(d).every((v) => Array.isArray(v)))) {
        const grid = parameterGrid(list as Record<string, unknown[]>[], where);
        if (grid.length < nIter) {
          warn('data', `${where}: the grid holds ${grid.length} candidates, fewer than nIter = ${nIter}; all are scored`);
          nIter = grid.length;
        }
        // Without replacement: the first nIter of a shuffled grid, in the order drawn.
        return Array.from(random.permutation(grid.length).subarray(0, nIter), (i) => grid[i]);
      }
      return Array.from({ length: nIter }, () => {
        const d = list.length === 1 ? list[0] : list[random.below(list.length)];
        return Object.fromEntries(Object.keys(d).sort().map((k) => {
          const v = d[k];
          return [k, isDistribution(v) ? v.draw(random) : v[random.below(v.length)]];
        }));
      });
    });
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): RandomizedSearchCV {
    return SearchCV.restore(source, 'RandomizedSearchCV', (o) => new RandomizedSearchCV(o as RandomizedSearchOptions));
  }
}
