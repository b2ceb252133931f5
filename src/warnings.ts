// The one warnings channel (DESIGN.md §7), in the manner of Python's `warnings` filter: a fit that
// did not converge, a fallback to one thread. By default each warning is printed once per cause
// (its category and message); a filter can print every occurrence, silence a category, or turn it
// into an error (a WasmlearnWarning thrown where the warning was raised).
import { ValueError, WasmlearnError, describe } from './errors.js';

/** What a warning is about: an iterative solver stopped before converging, or the runtime fell back. */
export type WarningCategory = 'convergence' | 'runtime' | 'data';
/** What to do with a warning: print once per cause ('default'), every time ('always'), nothing ('ignore'), or throw ('error'). */
export type WarningAction = 'default' | 'always' | 'ignore' | 'error';

const CATEGORIES: readonly WarningCategory[] = ['convergence', 'runtime', 'data'];
const ACTIONS: readonly WarningAction[] = ['default', 'always', 'ignore', 'error'];

/** A warning turned into an error by `warnings.filter('error')`. */
export class WasmlearnWarning extends WasmlearnError {
  readonly category: WarningCategory;
  constructor(category: WarningCategory, message: string) {
    super(message);
    this.category = category;
  }
}

const actions = new Map<WarningCategory, WarningAction>();
const printed = new Set<string>();

export const warnings = {
  /**
   * Sets what happens to warnings of a category (all categories when omitted), as Python's
   * warnings.simplefilter: e.g. `warnings.filter('ignore', 'convergence')`, `warnings.filter('error')`.
   */
  filter(action: WarningAction, category?: WarningCategory): void {
    if (!ACTIONS.includes(action)) throw new ValueError(`warnings.filter: action must be one of ${ACTIONS.map((a) => `'${a}'`).join(', ')}; received ${describe(action)}`);
    if (category !== undefined && !CATEGORIES.includes(category)) {
      throw new ValueError(`warnings.filter: category must be one of ${CATEGORIES.map((c) => `'${c}'`).join(', ')}; received ${describe(category)}`);
    }
    for (const c of category === undefined ? CATEGORIES : [category]) actions.set(c, action);
  },
  /** Back to the default (print once per cause), forgetting which warnings were printed. */
  reset(): void {
    actions.clear();
    printed.clear();
  },
};

/** Raises a warning through the filter. */
export function warn(category: WarningCategory, message: string): void {
  const action = actions.get(category) ?? 'default';
  if (action === 'ignore') return;
  if (action === 'error') throw new WasmlearnWarning(category, message);
  const cause = `${category}\u0000${message}`;
  if (action === 'default' && printed.has(cause)) return;
  printed.add(cause);
  console.warn(`wasmlearn ${category} warning: ${message}`);
}
