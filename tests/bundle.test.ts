// Subpath exports: an edge function that only predicts with an SVC bundles only that code. Rollup
// bundles three workers against the built package — everything from the root, only what it
// names from the root, and the same names from wasmlearn/svm — and the test compares their size
// and content.
import { fileURLToPath } from 'node:url';
import { rollup, type Plugin } from 'rollup';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const FAMILIES = ['nn', 'svm', 'tree', 'ensemble', 'neighbors', 'cluster', 'naive-bayes', 'linear', 'decomposition', 'preprocessing', 'metrics', 'datasets'];

/** Resolves `wasmlearn` and `wasmlearn/<entry>` to the built package, as a bundler would through its exports. */
function wasmlearn(source: string): Plugin {
  return {
    name: 'wasmlearn',
    resolveId(id) {
      if (id === 'worker') return id;
      if (id === 'wasmlearn') return `${dist}index.js`;
      const m = /^wasmlearn\/(\w+)$/.exec(id);
      return m ? `${dist}${m[1]}.js` : null;
    },
    load(id) {
      return id === 'worker' ? source : null;
    },
  };
}

async function bundle(source: string): Promise<string> {
  const build = await rollup({ input: 'worker', plugins: [wasmlearn(source)], onwarn: () => {} });
  const { output } = await build.generate({ format: 'es', inlineDynamicImports: true });
  await build.close();
  return output.map((o) => ('code' in o ? o.code : '')).join('\n');
}

const predictWith = (from: string) => `import { init, SVC } from '${from}';
export default { async fetch(request, env) { await init({ module: env.wasm }); const svc = SVC.fromBytes(env.model); return Response.json(svc.predict(await request.json())); } };`;

describe('subpath exports', () => {
  it('a worker that predicts with an SVC bundles far less from wasmlearn/svm than from the whole root, and no other family', async () => {
    const everything = await bundle(`import * as wl from 'wasmlearn'; export default wl;`);
    const rootNamed = await bundle(predictWith('wasmlearn'));
    const svmOnly = await bundle(predictWith('wasmlearn/svm'));
    console.log(`bundle sizes (bytes, from the minified dist/): whole root ${everything.length}, root named imports ${rootNamed.length}, wasmlearn/svm ${svmOnly.length}`);
    expect(svmOnly.length).toBeLessThan(0.35 * everything.length);
    expect(svmOnly.length).toBeLessThanOrEqual(rootNamed.length * 1.05);
    for (const absent of ['class Sequential', 'class RandomForestClassifier', 'class LogisticRegression', 'class KNeighborsClassifier', 'class PCA']) {
      expect(svmOnly, absent).not.toContain(absent);
      expect(everything, absent).toContain(absent);
    }
    expect(svmOnly).toContain('class SVC');
  });

  it('every family entry is built, exported by package.json, and gives what its name says', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as { exports: Record<string, unknown> };
    const families: Record<string, string[]> = {
      nn: ['Sequential', 'layers', 'optimizers', 'loadModel', 'matMul'], svm: ['SVC', 'NuSVC', 'SVR', 'NuSVR', 'OneClassSVM'],
      tree: ['DecisionTreeClassifier', 'RandomForestRegressor'], ensemble: ['HistGradientBoostingClassifier', 'HistGradientBoostingRegressor'], neighbors: ['KNeighborsClassifier', 'NearestNeighbors'], cluster: ['KMeans', 'MiniBatchKMeans', 'DBSCAN'], 'naive-bayes': ['GaussianNB', 'MultinomialNB', 'BernoulliNB'],
      linear: ['LinearRegression', 'Ridge', 'LogisticRegression'], decomposition: ['PCA', 'LinearDiscriminantAnalysis'],
      preprocessing: ['StandardScaler', 'MinMaxScaler'], metrics: ['accuracyScore', 'r2Score', 'classificationReport'],
      datasets: ['loadIris', 'loadIdx', 'trainTestSplit', 'toCategorical'],
    };
    expect(Object.keys(families).sort()).toEqual([...FAMILIES].sort());
    const root = await import('../dist/index.js');
    for (const [family, names] of Object.entries(families)) {
      expect(pkg.exports[`./${family}`], family).toEqual({ types: `./dist/${family}.d.ts`, import: `./dist/${family}.js` });
      const entry = await import(`../dist/${family}.js`);
      for (const name of [...names, 'init', 'backendInfo', 'ValueError', 'warnings']) {
        expect(entry[name], `${family}.${name}`).toBeDefined();
        expect(entry[name], `${family}.${name} is the root's`).toBe((root as Record<string, unknown>)[name]);
      }
    }
  });

  it('wasmlearn/onnx brings protobufjs\' runtime and the graph, not the layers (toModel loads them on demand); the root does not bring ONNX', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as { exports: Record<string, unknown> };
    expect(pkg.exports['./onnx']).toEqual({ types: './dist/onnx.d.ts', import: './dist/onnx.js' });
    const build = await rollup({ input: 'worker', plugins: [wasmlearn(`import { init, loadOnnx } from 'wasmlearn/onnx';
export default { async fetch(request, env) { await init({ module: env.wasm, threads: false }); const m = await loadOnnx(env.model); return Response.json(await m.run(await request.json())); } };`)], onwarn: () => {} });
    const { output } = await build.generate({ format: 'es' });
    await build.close();
    // What the worker loads: the entry chunk and the chunks it imports statically; the rest comes by import().
    const chunks = new Map(output.flatMap((o) => (o.type === 'chunk' ? [[o.fileName, o] as const] : [])));
    const loaded = new Set<string>();
    const follow = (name: string) => {
      if (loaded.has(name)) return;
      loaded.add(name);
      for (const next of chunks.get(name)!.imports) follow(next);
    };
    for (const c of chunks.values()) if (c.isEntry) follow(c.fileName);
    const code = [...loaded].map((n) => chunks.get(n)!.code).join('\n');
    const lazy = [...chunks.values()].filter((c) => !loaded.has(c.fileName)).map((c) => c.code).join('\n');
    expect(code).toContain('ModelProto');
    expect(code).toContain('class OnnxModel');
    expect(code, 'the layers come with toModel, in a chunk of their own').not.toContain('class Sequential');
    expect(lazy).toContain('class Sequential');
    const everything = await bundle(`import * as wl from 'wasmlearn'; export default wl;`);
    expect(everything).not.toContain('ModelProto');
    const entry = await import('../dist/onnx.js');
    for (const name of ['loadOnnx', 'OnnxModel', 'OnnxTensor', 'supportedOperators', 'init', 'FormatError']) expect(entry[name as keyof typeof entry], name).toBeDefined();
  });
});
