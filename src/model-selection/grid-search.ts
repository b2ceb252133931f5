// scikit-learn's GridSearchCV: every combination of the grid's values (keys in sorted order, the
// last varying fastest; a list of grids one after the other), scored as SearchCV scores them.
import { ValueError, describe } from '../errors.js';
import { SearchCV, type SearchOptions } from './search-cv.js';

export type ParamGrid = Record<string, readonly unknown[]>;

export interface GridSearchOptions extends SearchOptions {
  /** Values to try per parameter (scikit-learn's names: 'svc__C'), or a list of such grids. */
  paramGrid: ParamGrid | ParamGrid[];
}

/** Every combination of a grid, as scikit-learn's ParameterGrid lists them. */
export function parameterGrid(grid: ParamGrid | ParamGrid[], where: string): Record<string, unknown>[] {
  const grids = Array.isArray(grid) ? grid : [grid];
  if (grids.length === 0) throw new ValueError(`${where}: paramGrid is empty`);
  return grids.flatMap((g, i) => {
    if (g === null || typeof g !== 'object' || Array.isArray(g)) throw new ValueError(`${where}: paramGrid${Array.isArray(grid) ? `[${i}]` : ''} must be an object of value lists; received ${describe(g)}`);
    const keys = Object.keys(g).sort();
    for (const k of keys) {
      if (!Array.isArray(g[k]) || g[k].length === 0) throw new ValueError(`${where}: paramGrid's '${k}' must be a non-empty array of values; received ${describe(g[k])}`);
    }
    let combos: Record<string, unknown>[] = [{}];
    for (const k of keys) combos = combos.flatMap((c) => g[k].map((v) => ({ ...c, [k]: v })));
    return combos;
  });
}

/** Cross-validated search over a grid of parameters. */
export class GridSearchCV extends SearchCV {
  constructor(options: GridSearchOptions) {
    super(options, ['paramGrid'], 'GridSearchCV');
    parameterGrid(options.paramGrid, 'GridSearchCV');
  }

  protected candidates(): Record<string, unknown>[] {
    return parameterGrid((this.o as GridSearchOptions).paramGrid, 'GridSearchCV');
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): GridSearchCV {
    return SearchCV.restore(source, 'GridSearchCV', (o) => new GridSearchCV(o as GridSearchOptions));
  }
}
