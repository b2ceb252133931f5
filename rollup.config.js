// Bundles src/ to ESM in dist/ (flat, so that `new URL('./worker.js' | './wasm/…', import.meta.url)`
// resolves next to every chunk), plus one .d.ts per public entry: the root, the edge entry and one
// entry per family (wasmlearn/nn, /svm, …), whose shared code lands in common chunks.
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import { dts } from 'rollup-plugin-dts';

export const FAMILIES = ['nn', 'svm', 'tree', 'ensemble', 'neighbors', 'cluster', 'naive-bayes', 'linear', 'decomposition', 'preprocessing', 'metrics', 'datasets'];
// wasmlearn/onnx is not re-exported by the root: only its entry pulls in protobufjs.
const entries = { index: 'src/index.ts', edge: 'src/edge.ts', ...Object.fromEntries([...FAMILIES, 'onnx'].map((f) => [f, `src/entries/${f}.ts`])) };

/**
 * The runtime and the kernels' TypeScript side (src/runtime, src/ops, src/io, the loader) in one
 * shared chunk: every entry uses most of it, and left to itself the bundler splits it into a chunk
 * per set of entries that share a part — nine modules for wasmlearn/onnx — where each module costs
 * a cold start its own resolve, read and compile. Bundlers of an app still drop what it does not use.
 * The worker threads' entry and the pool they are started from stay chunks of their own.
 */
function coreChunk(id, { getModuleInfo }) {
  if (/src[\\/]runtime[\\/](worker|pool)\.ts$/.test(id)) return undefined;
  if (!/src[\\/](runtime|ops|io)[\\/]|src[\\/](errors|tensor|options|finite|warnings|seed|elementary)\.ts$/.test(id)) return undefined;
  // What wasmlearn/onnx loads statically is all of its core; the estimators' own kernels' side (k-means,
  // boosting, SVM training, …) is a second chunk, which its cold start need not read and compile.
  return staticallyFrom(ONNX_ENTRY, getModuleInfo).has(id) ? 'core' : 'ops';
}

const ONNX_ENTRY = new URL('src/entries/onnx.ts', import.meta.url).pathname;
let reachable;
/** The modules `entry` imports statically, directly or not (computed once: the graph is complete when chunks are made). */
function staticallyFrom(entry, getModuleInfo) {
  if (reachable) return reachable;
  reachable = new Set();
  const stack = [entry];
  while (stack.length > 0) {
    const id = stack.pop();
    if (reachable.has(id)) continue;
    reachable.add(id);
    stack.push(...(getModuleInfo(id)?.importedIds ?? []));
  }
  return reachable;
}

export default [
  {
    input: { ...entries, worker: 'src/runtime/worker.ts', 'job-worker': 'src/model-selection/job-worker.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunk-[name].js', sourcemap: false, manualChunks: coreChunk },
    plugins: [nodeResolve(), commonjs({ include: /node_modules\/protobufjs\//, ignore: ['long'] }), typescript({ tsconfig: './tsconfig.json', declaration: false, noEmitOnError: true })],
    treeshake: { moduleSideEffects: (id) => id.endsWith('worker.ts') },
  },
  {
    // wasmlearn/onnx's declarations are bundled on their own (self-contained): sharing chunks with the
    // others would move the layers' declarations into a chunk that the nn namespace re-exports badly.
    input: Object.fromEntries(Object.entries(entries).filter(([name]) => name !== 'onnx')),
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'chunk-[name].d.ts' },
    plugins: [dts()],
  },
  {
    // …except that toModel's Sequential is nn's own (so the two entries' types are one type).
    input: { onnx: entries.onnx },
    external: (id) => /src[/\\]models[/\\]sequential(\.ts|\.js|\.d\.ts)?$/.test(id),
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', paths: (id) => (/sequential/.test(id) ? './nn.js' : id) },
    plugins: [dts()],
  },
];
