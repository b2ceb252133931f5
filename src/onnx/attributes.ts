// A node's attributes, read by name with the operator's defaults, and every wrong one named.
import { FormatError } from '../errors.js';
import type { onnx } from './onnx-proto.js';
import { sameBytesAt } from './proto-reader.js';
import { int, tensorFromProto, type Value } from './value.js';

type AttributeProto = onnx.AttributeProto.$Properties;

export class Attributes {
  private readonly byName = new Map<string, AttributeProto>();

  constructor(list: readonly AttributeProto[], private readonly where: string) {
    for (const a of list) this.byName.set(a.name ?? '', a);
  }

  /** These attributes with one list of integers set (the graph's fusions rewrite a node's pads). */
  withInts(name: string, values: number[]): Attributes {
    return new Attributes([...[...this.byName.values()].filter((a) => a.name !== name), { name, type: 7, ints: values }], this.where);
  }

  /** These attributes with one string set. */
  withString(name: string, value: string): Attributes {
    return new Attributes([...[...this.byName.values()].filter((a) => a.name !== name), { name, type: 3, s: new TextEncoder().encode(value) }], this.where);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  int(name: string, fallback: number): number;
  int(name: string): number | undefined;
  int(name: string, fallback?: number): number | undefined {
    const a = this.byName.get(name);
    return a ? int(a.i) : fallback;
  }

  float(name: string, fallback: number): number;
  float(name: string): number | undefined;
  float(name: string, fallback?: number): number | undefined {
    const a = this.byName.get(name);
    return a ? (a.f ?? 0) : fallback;
  }

  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    const a = this.byName.get(name);
    return a ? new TextDecoder().decode(a.s ?? new Uint8Array()) : fallback;
  }

  /**
   * A list of integers as decoded, not copied, when every entry is already a number (always, in
   * the bundle, which reads int64 as numbers): a 500-tree forest has nine lists of 1.3 to 3.3
   * million entries, and a copy of each was ~1 s of its load.
   */
  ints(name: string, fallback: readonly number[]): readonly number[];
  ints(name: string): readonly number[] | undefined;
  ints(name: string, fallback?: readonly number[]): readonly number[] | undefined {
    const a = this.byName.get(name);
    if (!a) return fallback;
    const list = a.ints ?? [];
    for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'number') return list.map(int);
    return list as readonly number[];
  }

  /** A list of floats as decoded (not copied, as ints). */
  floats(name: string, fallback: readonly number[]): readonly number[];
  floats(name: string): readonly number[] | undefined;
  floats(name: string, fallback?: readonly number[]): readonly number[] | undefined {
    const a = this.byName.get(name);
    return a ? (a.floats ?? []) : fallback;
  }

  strings(name: string, fallback: string[]): string[];
  strings(name: string): string[] | undefined;
  strings(name: string, fallback?: string[]): string[] | undefined {
    const a = this.byName.get(name);
    const decoder = new TextDecoder();
    return a ? (a.strings ?? []).map((s) => decoder.decode(s)) : fallback;
  }

  /**
   * A list of strings as indices into `choices` (compared as bytes: no string is made per entry,
   * which matters for a forest's million node modes); undefined when absent. An entry that is
   * none of them is a FormatError naming it.
   */
  choices(name: string, choices: readonly string[]): Uint8Array | undefined {
    const a = this.byName.get(name);
    if (!a) return undefined;
    const encoder = new TextEncoder();
    const wanted = choices.map((c) => encoder.encode(c));
    const list = a.strings ?? [];
    const out = new Uint8Array(list.length);
    // The decoder hands out equal short entries as one view (proto-reader.ts): a run of them is matched once.
    let previous: Uint8Array | undefined, found = -1;
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (s !== previous) found = wanted.findIndex((w) => w.length === s.length && sameBytesAt(w, s, 0));
      previous = s;
      if (found < 0) throw new FormatError(`${this.where}: ${name} has '${new TextDecoder().decode(s)}', which is not one of ${choices.join(', ')}`);
      out[i] = found;
    }
    return out;
  }

  tensor(name: string): Value | undefined {
    const a = this.byName.get(name);
    return a?.t ? tensorFromProto(a.t, `${this.where}: attribute ${name}`) : undefined;
  }

  /** A required attribute (the operator cannot run without it). */
  required<T>(value: T | undefined, name: string): T {
    if (value === undefined) throw new FormatError(`${this.where}: the attribute '${name}' is required`);
    return value;
  }

  /** A value of a listed set, or a FormatError naming the choices. */
  oneOf<T extends string>(name: string, fallback: T, choices: readonly T[]): T {
    const v = this.string(name, fallback) as T;
    if (!choices.includes(v)) throw new FormatError(`${this.where}: attribute ${name} must be one of ${choices.join(', ')}; the file has '${v}'`);
    return v;
  }
}
