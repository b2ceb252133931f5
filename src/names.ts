import { ValueError, describe } from './errors.js';

/** 'categorical_crossentropy' → 'categoricalCrossentropy' (Keras spellings to ours). */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** 'useBias' → 'use_bias' (ours to Keras / the TF.js layers format). */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Looks a name up in a table of known names, accepting Keras' snake_case and our camelCase
 * (and any aliases in the table); an unknown name is a ValueError listing the known ones.
 */
export function lookUp<T>(table: Record<string, T>, name: unknown, what: string, where: string): T {
  if (typeof name === 'string') {
    const key = camelCase(name);
    if (Object.prototype.hasOwnProperty.call(table, key)) return table[key];
    const lower = Object.keys(table).find((k) => k.toLowerCase() === key.toLowerCase());
    if (lower) return table[lower];
  }
  const plural = what.endsWith('s') ? `${what}es` : `${what}s`;
  throw new ValueError(`${where}: unknown ${what} ${describe(name)}; known ${plural} are ${Object.keys(table).join(', ')}`);
}
