// The categories of a column, as scikit-learn's encoders find and name them: the distinct values
// sorted (numbers by value, strings by code point), a gap (null, undefined, NaN) last as a
// category of its own; a category's name in feature names as Python prints the value ('1.0' for
// a float, 'nan' for a gap), so names match scikit-learn's for the same table.
import type { TableColumn } from '../tabular/table.js';

/** A category: a number, a string, or null for the gap. */
export type Category = number | string | null;

/** Each row's category (the gap as null). */
export function cells(column: TableColumn): Category[] {
  return column.kind === 'string' ? column.values : Array.from(column.values, (v) => (Number.isNaN(v) ? null : v));
}

/** The column's categories in scikit-learn's order and how often each occurs. */
export function categoriesOf(column: TableColumn): { categories: Category[]; counts: number[] } {
  const counts = new Map<Category, number>();
  for (const v of cells(column)) counts.set(v, (counts.get(v) ?? 0) + 1);
  const categories = [...counts.keys()].sort(compareCategories);
  return { categories, counts: categories.map((c) => counts.get(c)!) };
}

/** scikit-learn's order: numbers by value, strings by code point, the gap last. */
export function compareCategories(a: Category, b: Category): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a), sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Python's str() of a float: '3.0', '0.5', '1e-05', '1e+16'. */
function pythonFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  // The decimal exponent of the shortest digits (as Python's repr uses), not Math.log10's, whose
  // last bits differ between engines.
  const exponent = v === 0 ? 0 : Number(v.toExponential().split('e')[1]);
  if (exponent < -4 || exponent >= 16) {
    // Python: shortest digits, exponent with a sign and at least two digits.
    const [digits, e] = v.toExponential().split('e');
    const n = Number(e);
    return `${digits}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const text = String(v);
  return Number.isInteger(v) ? `${text}.0` : text;
}

/**
 * A category as feature names show it: a string as it is, the gap as 'nan', a number as Python
 * prints it — an integer column without gaps (pandas' int64) as '3', any other as a float ('3.0').
 */
export function categoryName(category: Category, integerColumn: boolean): string {
  if (category === null) return 'nan';
  if (typeof category === 'string') return category;
  return integerColumn && Number.isInteger(category) ? String(category) : pythonFloat(category);
}

/** Whether a column is integers without gaps (named as pandas' int64 columns are). */
export function isIntegerColumn(column: TableColumn): boolean {
  return column.kind === 'number' && column.values.every((v) => Number.isInteger(v));
}

/** A lookup from category to its index (the gap by null). */
export function indexOfCategories(categories: readonly Category[]): Map<Category, number> {
  return new Map(categories.map((c, i) => [c, i]));
}
