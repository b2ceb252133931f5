// The typed boundary (DESIGN.md §10): only src/runtime/ and src/ops/ call kernels, make views of
// WebAssembly memory or spell the kernels' integer codes; everything else calls ops/ with named,
// typed arguments. This test reads the sources and fails on any of them elsewhere.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The source without comments, so that a comment may name a kernel. */
function code(path: string): string {
  return readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

const kernels = [...readFileSync(new URL('../assembly/index.ts', import.meta.url), 'utf8').matchAll(/export\s*\{([^}]*)\}|export function (\w+)/g)]
  .flatMap((m) => (m[2] ? [m[2]] : m[1].split(',').map((s) => s.trim().split(/\s+as\s+/).pop()!)))
  .filter(Boolean);

const RULES: [string, RegExp][] = [
  ['a kernel called by name', new RegExp(`\\.(launch|call)\\(\\s*'(${kernels.join('|')})'`)],
  ['a kernel reached through exports', /\.exports\b/],
  ['a view of WebAssembly memory', /memory\.buffer|\.arena\.f32\(/],
  ['a code table of bare numbers', /:\s*(0|[1-9]\d*)\s*,\s*\w+\s*:\s*(0|[1-9]\d*)\s*,\s*\w+\s*:\s*(0|[1-9]\d*)\s*[,}]/],
];

const outside = files(src).filter((f) => !/^(runtime|ops)[/\\]/.test(relative(src, f)));

describe('the typed boundary', () => {
  it('finds the kernels of assembly/index.ts (the rule would pass vacuously otherwise)', () => {
    expect(kernels).toContain('gemm');
    expect(kernels).toContain('smoBatch');
    expect(kernels.length).toBeGreaterThan(40);
    expect(outside.length).toBeGreaterThan(40);
  });

  for (const [what, pattern] of RULES) {
    it(`no ${what} outside src/runtime and src/ops`, () => {
      const found = outside.flatMap((f) => code(f).split('\n').map((line, i) => [f, i + 1, line] as const))
        .filter(([, , line]) => pattern.test(line))
        .map(([f, n, line]) => `${relative(src, f)}:${n}: ${line.trim()}`);
      expect(found).toEqual([]);
    });
  }

  it('io/ holds formats only: it imports no model, layer or estimator', () => {
    const io = files(join(src, 'io'));
    expect(io.length).toBeGreaterThan(2);
    const upward = io.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/from '\.\.\/(models|layers|svm|tree|neighbors|linear|decomposition|discriminant|preprocessing)\//g)]
      .map((m) => `${relative(src, f)} imports ${m[1]}/`));
    expect(upward).toEqual([]);
  });

  it('the rules catch what they describe', () => {
    const samples: [string, string][] = [
      ["be.launch('kernelMatrix', [code, q64, 0])", 'a kernel called by name'],
      ["step.be.call('sumRows', dy, rows, cols, out)", 'a kernel called by name'],
      ['be.exports.randomNextU32(state)', 'a kernel reached through exports'],
      ['new Float64Array(be.memory.buffer, ptr, n)', 'a view of WebAssembly memory'],
      ['const KERNELS = { linear: 0, poly: 1, rbf: 2 };', 'a code table of bare numbers'],
    ];
    for (const [line, what] of samples) expect(RULES.find(([w]) => w === what)![1].test(line), line).toBe(true);
  });
});
