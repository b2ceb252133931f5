// The fuzz corpus of corrupt saved estimators: damage the checksum catches (truncations, flipped
// bits, a wrong magic or version, random bytes) and damage it cannot (the JSON or the values
// changed and the checksum made again), so that every loader's own checks are exercised.
import { checksum } from '../../src/io/save.js';

const HEADER = 20;

export interface Corruption {
  what: string;
  bytes: Uint8Array;
  /** Whether the checksum was made again over the change (the loader may then accept the bytes). */
  checksummed: boolean;
}

function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

const pad8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Bytes with the given JSON and array payload, the header and checksum made as the writer does. */
function assemble(original: Uint8Array, json: string, payload: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(json);
  const out = new Uint8Array(pad8(HEADER + text.length) + payload.length);
  out.set(original.subarray(0, 12));
  const view = new DataView(out.buffer);
  view.setUint32(12, text.length, true);
  out.set(text, HEADER);
  out.set(payload, pad8(HEADER + text.length));
  view.setUint32(16, checksum(out.subarray(HEADER)), true);
  return out;
}

export function corruptions(bytes: Uint8Array, seed: number): Corruption[] {
  const next = random(seed);
  const out: Corruption[] = [];
  const copy = (): Uint8Array => bytes.slice();
  // Damage the checksum or header checks catch.
  for (const length of [0, 1, 8, 12, 19, 20, 21, bytes.length >> 1, bytes.length - 8, bytes.length - 1, ...Array.from({ length: 8 }, () => Math.floor(next() * bytes.length))]) {
    out.push({ what: `truncated to ${length}`, bytes: bytes.slice(0, length), checksummed: false });
  }
  for (let i = 0; i < 40; i++) {
    const b = copy();
    const at = Math.floor(next() * b.length);
    b[at] ^= 1 << Math.floor(next() * 8);
    out.push({ what: `bit flipped at ${at}`, bytes: b, checksummed: false });
  }
  for (const version of [0, 2, 0xffffffff]) {
    const b = copy();
    new DataView(b.buffer).setUint32(8, version, true);
    out.push({ what: `version ${version}`, bytes: b, checksummed: false });
  }
  const magic = copy();
  magic[0] = 0x58;
  out.push({ what: 'wrong magic', bytes: magic, checksummed: false });
  for (let i = 0; i < 10; i++) {
    const b = Uint8Array.from({ length: Math.floor(next() * (bytes.length + 64)) }, () => Math.floor(next() * 256));
    if (i % 2 === 0 && b.length >= 8) b.set(bytes.subarray(0, 8));
    out.push({ what: `random bytes (${b.length})`, bytes: b, checksummed: false });
  }
  out.push({ what: 'extra bytes at the end', bytes: Uint8Array.from([...bytes, 1, 2, 3]), checksummed: false });

  // Damage behind a valid checksum: the JSON's values, keys and array list.
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  const text = new TextDecoder().decode(bytes.subarray(HEADER, HEADER + length));
  const payload = bytes.subarray(pad8(HEADER + length));
  const json = JSON.parse(text) as { className: string; arrays?: { name: string; type: string; length: number }[] };
  const variant = (what: string, change: (j: typeof json) => void): void => {
    const j = JSON.parse(text) as typeof json;
    change(j);
    out.push({ what, bytes: assemble(bytes, JSON.stringify(j), payload), checksummed: true });
  };
  const values: unknown[] = [null, -1, 0, 1e300, 2.5, 'x', [], {}, true];
  variant('another class', (j) => { j.className = 'Other'; });
  out.push({ what: 'JSON cut short', bytes: assemble(bytes, text.slice(0, text.length >> 1), payload), checksummed: true });
  out.push({ what: 'JSON not an object', bytes: assemble(bytes, '[1,2,3]', payload), checksummed: true });
  // Every value of the description (estimators' params and meta, models' topology and weight
  // manifest), up to 80 spread over it: removed, or replaced by each of the values above.
  const leaves: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (v !== null && typeof v === 'object') {
      if (path.length > 0) leaves.push(path);
      for (const [key, child] of Object.entries(v)) walk(child, [...path, Array.isArray(v) ? Number(key) : key]);
    } else {
      leaves.push(path);
    }
  };
  walk(json, []);
  const step = Math.max(1, Math.ceil(leaves.length / 80));
  for (let i = 0; i < leaves.length; i += step) {
    const path = leaves[i];
    const set = (j: unknown, value: unknown, remove = false): void => {
      let node = j as Record<string | number, unknown>;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      const last = path[path.length - 1];
      if (remove) {
        if (Array.isArray(node)) node.splice(last as number, 1);
        else delete node[last];
      } else {
        node[last] = value;
      }
    };
    const name = path.join('.');
    variant(`${name} removed`, (j) => set(j, undefined, true));
    for (const v of values) variant(`${name} = ${JSON.stringify(v)}`, (j) => set(j, v));
  }
  (json.arrays ?? []).forEach((a, i) => {
    variant(`array ${a.name} one longer`, (j) => { j.arrays[i].length += 1; });
    variant(`array ${a.name} one shorter`, (j) => { j.arrays[i].length = Math.max(0, a.length - 1); });
    variant(`array ${a.name} empty`, (j) => { j.arrays[i].length = 0; });
    variant(`array ${a.name} of the other type`, (j) => { j.arrays[i].type = a.type === 'f64' ? 'i32' : 'f64'; });
    variant(`array ${a.name} renamed`, (j) => { j.arrays[i].name = `${a.name}X`; });
    variant(`array ${a.name} dropped`, (j) => { j.arrays.splice(i, 1); });
  });

  // Damage behind a valid checksum: the values of each array.
  let offset = 0;
  for (const a of json.arrays ?? []) {
    const size = a.type === 'f64' ? 8 : 4;
    const positions = a.length === 0 ? [] : [0, a.length >> 1, a.length - 1];
    const specials = a.type === 'f64' ? [Number.NaN, Number.POSITIVE_INFINITY, -1, 1e308, -1e308] : [-1, 2 ** 31 - 1, -(2 ** 31), 1 << 20];
    for (const at of positions) {
      for (const v of specials) {
        const p = payload.slice();
        const view = new DataView(p.buffer, p.byteOffset + offset + at * size, size);
        if (a.type === 'f64') view.setFloat64(0, v, true);
        else view.setInt32(0, v, true);
        out.push({ what: `${a.name}[${at}] = ${v}`, bytes: assemble(bytes, text, p), checksummed: true });
      }
    }
    offset += pad8(a.length * size);
  }
  return out;
}
