import { ValueError, describe } from './errors.js';

/** Checks an options object: an object, with no key outside `known`. Returns it typed. */
export function checkOptions<T extends object>(options: unknown, known: readonly (keyof T & string)[], where: string): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`${where}: options must be an object; received ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!(known as readonly string[]).includes(key)) {
      throw new ValueError(`${where}: unknown option '${key}'; known options are ${known.join(', ')}`);
    }
  }
  return options as Partial<T>;
}

export function checkBoolean(value: unknown, name: string, where: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ValueError(`${where}: ${name} must be true or false; received ${describe(value)}`);
  return value;
}

export function checkNumber(value: unknown, name: string, where: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${where}: ${name} must be a finite number; received ${describe(value)}`);
  }
  return value;
}
