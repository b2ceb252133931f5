// Bundles src/ to ESM in dist/ (flat, so that `new URL('./worker.js' | './wasm/…', import.meta.url)`
// resolves next to every chunk), plus one .d.ts per public entry.
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { dts } from 'rollup-plugin-dts';

export default [
  {
    input: { index: 'src/index.ts', edge: 'src/edge.ts', worker: 'src/runtime/worker.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name].js', sourcemap: false },
    plugins: [nodeResolve(), typescript({ tsconfig: './tsconfig.json', declaration: false, noEmitOnError: true })],
    treeshake: { moduleSideEffects: (id) => id.endsWith('worker.ts') },
  },
  {
    input: { index: 'src/index.ts', edge: 'src/edge.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: '[name].d.ts' },
    plugins: [dts()],
  },
];
