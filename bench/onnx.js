// ONNX models in (issue #22): the same ONNX files in wasmlearn/onnx, onnxruntime-web (wasm) and,
// as the native line, onnxruntime-node — the lecture's MLP (784-500-500-10), the small CNN of
// bench/cnn.js, MobileNetV2 (alpha 1, 224 × 224) and a 500-tree random forest (scikit-learn,
// written in skl2onnx's layout by bench/onnx_forest_sklearn.py). Batch-1 latency and throughput
// (10 000 rows; 320 images for MobileNetV2), each runtime and thread count in a process of its own
// (onnxruntime-web fixes its threads when it starts, and each runtime's pool spins between runs),
// latency and throughput as medians over rounds in rotating order (measureAll; MobileNetV2's
// throughput from the first round only: seconds per pass, and a full run of three rounds of
// everything took over an hour); cold start to a first
// prediction in fresh processes; and the bundle an edge worker ships. Prints Markdown tables and
// writes bench/results/onnx.json.
//
//   node bench/onnx.js            everything
//   node bench/onnx.js --quick    fewer runs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { kerasToOnnx, toNchw } from './keras-to-onnx.js';
import { fixed, liveStatistics, machine, median, medianSeconds, printTable, writeResults } from './lib.js';

const quick = process.argv.includes('--quick');
const runs = quick ? 2 : 4;
/** Rounds of child processes (one per runtime and thread count); each model's figure is the median over them. */
const ROUNDS = quick ? 1 : 3;
const root = fileURLToPath(new URL('..', import.meta.url));
const PEERS = ['wasmlearn', 'ort-web', 'ort-node'];
const MODELS = ['mlp', 'cnn', 'mobilenetv2', 'forest'];
const ROWS = { mlp: 10000, cnn: 10000, mobilenetv2: 320, forest: 10000 };
const BATCH = { mlp: 500, cnn: 500, mobilenetv2: 32, forest: 1000 };

/** Deterministic inputs in [0, 1) of the model's per-row shape (NCHW for images). */
const rowsOf = (n, perRow) => Float32Array.from({ length: n * perRow.reduce((a, b) => a * b, 1) }, (_, i) => ((i * 2654435761) % 1000) / 1000);

/** Writes the four ONNX files into dir: the three networks from wasmlearn models, the forest from scikit-learn. */
async function writeModels(dir) {
  const wl = await import('../dist/index.js');
  const L = wl.layers;
  wl.setRandomSeed(1);
  const mlp = new wl.Sequential([L.dense({ units: 500, inputShape: [784], activation: 'sigmoid' }), L.dense({ units: 500, activation: 'sigmoid' }), L.dense({ units: 10, activation: 'softmax' })]);
  const cnn = new wl.Sequential([
    L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }), L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }),
    L.flatten(), L.dense({ units: 128, activation: 'relu' }), L.dense({ units: 10, activation: 'softmax' }),
  ]);
  const mobile = wl.applications.mobileNetV2({ classifierActivation: 'linear' });
  liveStatistics(mobile);
  writeFileSync(join(dir, 'mlp.onnx'), kerasToOnnx(mlp.toTfjs()));
  writeFileSync(join(dir, 'cnn.onnx'), kerasToOnnx(cnn.toTfjs()));
  writeFileSync(join(dir, 'mobilenetv2.onnx'), kerasToOnnx(mobile.toTfjs()));
  execFileSync('/usr/bin/python3', [join(root, 'bench/onnx_forest_sklearn.py'), dir], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Per-row input shape and feeds for a model. */
function inputOf(model, n, dir) {
  if (model === 'forest') {
    const f = JSON.parse(readFileSync(join(dir, 'forest.json'), 'utf8'));
    const cols = f.cols;
    const all = Float32Array.from(f.X);
    return { name: 'X', data: all.subarray(0, n * cols), dims: [n, cols], output: 'probabilities' };
  }
  const perRow = { mlp: [784], cnn: [1, 28, 28], mobilenetv2: [3, 224, 224] }[model];
  return { name: 'input', data: rowsOf(n, perRow), dims: [n, ...perRow], output: 'output' };
}

/** A session of one runtime for an ONNX file: run(feeds as { data, dims }) → the output's data. */
async function sessionOf(peer, threads, bytes, output) {
  if (peer === 'wasmlearn') {
    const wl = await import('../dist/onnx.js');
    await wl.init({ threads });
    const m = await wl.loadOnnx(bytes);
    return { run: async (x) => (await m.run({ [x.name]: x }, [output]))[output].data, tensor: (x) => ({ name: x.name, data: x.data, dims: x.dims }), release: async () => m.dispose() };
  }
  // onnxruntime-web and -node share their API; the web build takes its threads from env before its first session.
  const ort = peer === 'ort-web' ? await import('onnxruntime-web') : (await import('onnxruntime-node')).default;
  if (peer === 'ort-web') ort.env.wasm.numThreads = threads;
  const s = await ort.InferenceSession.create(bytes, peer === 'ort-web' ? {} : { intraOpNumThreads: threads, interOpNumThreads: 1 });
  return { run: async (x) => (await s.run({ [x.name]: x.tensor }, [output]))[output].data, tensor: (x) => ({ name: x.name, tensor: new ort.Tensor('float32', x.data, x.dims) }), release: () => s.release() };
}

/** A child process's environment: its temporary files in `dir` (onnxruntime-node writes an empty log into TMPDIR per process). */
const childEnv = (dir) => ({ ...process.env, TMPDIR: dir });

/**
 * One runtime's measurements of every model on `threads` threads, in a child process of its own:
 * a runtime's thread pool keeps spinning between runs, and in one process with the others' pools
 * on two cores each runtime was timed against the others' spinning threads (the MLP's one row on
 * two threads took 0.09 ms in wasmlearn that way, 0.047 ms in a process of its own).
 */
async function measure(peer, threads, dir, later) {
  const out = {};
  for (const model of MODELS) {
    const bytes = readFileSync(join(dir, `${model}.onnx`));
    const one = inputOf(model, 1, dir);
    const session = await sessionOf(peer, threads, bytes, one.output);
    const single = session.tensor(one);
    // Throughput (and the outputs compared) unless only the latency is asked for.
    let all, last;
    // After the first round, MobileNetV2's passes (seconds each) are left out.
    if (!(later && model === 'mobilenetv2')) {
      const many = inputOf(model, ROWS[model], dir), per = many.data.length / many.dims[0];
      const slices = [];
      for (let start = 0; start < many.dims[0]; start += BATCH[model]) {
        const end = Math.min(many.dims[0], start + BATCH[model]);
        slices.push(session.tensor({ name: one.name, data: many.data.subarray(start * per, end * per), dims: [end - start, ...many.dims.slice(1)] }));
      }
      all = async () => {
        let outputs;
        for (const t of slices) outputs = await session.run(t);
        return outputs;
      };
      // The pass whose last outputs are compared is also the throughput's warm-up (MobileNetV2's takes seconds).
      const outputs = await all();
      if (!later) last = Array.from(outputs);
    }
    const { seconds: latency } = await medianSeconds(() => session.run(single), { runs: runs * 2, minSeconds: 0.2, warmup: 3 });
    const throughput = all && (await medianSeconds(all, { runs: model === 'mobilenetv2' ? Math.min(runs, 2) : runs, minSeconds: 0, warmup: 0, maxSeconds: Infinity })).seconds;
    out[model] = { latency, throughput, last };
    await session.release();
    console.error(`  ${peer}, ${threads} thread(s), ${model}: batch 1 ${fixed(latency * 1000, 3)} ms${all ? `; ${ROWS[model]} rows ${fixed(throughput, 3)} s` : ''}`);
  }
  return out;
}

/**
 * Every runtime on 1 and 2 threads, each in a process of its own, in ROUNDS rounds whose runtime
 * order rotates (so none is always timed first or last while the machine drifts); per model the
 * latency's and the throughput's medians over the rounds (MobileNetV2's throughput from the first
 * round), and each output's largest difference from onnxruntime-node's from the first round. On
 * this VM a process runs in one of two speed modes for its whole life (the same code's 10 000 MLP
 * rows took 0.34 s in some processes and 0.47 s in others), so one process's throughput is a draw.
 */
function measureAll(dir) {
  const results = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const threads of [1, 2]) {
      for (let k = 0; k < PEERS.length; k++) {
        const peer = PEERS[(k + round) % PEERS.length];
        const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', peer, String(threads), '--dir', dir, ...(quick ? ['--quick'] : []), ...(round > 0 ? ['--later'] : [])],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28, env: childEnv(dir) });
        const byModel = JSON.parse(out);
        for (const m of MODELS) {
          const r = ((results[threads] ??= {})[m] ??= { latencies: {}, throughputs: {}, last: {} });
          (r.latencies[peer] ??= []).push(byModel[m].latency);
          if (byModel[m].throughput !== undefined) (r.throughputs[peer] ??= []).push(byModel[m].throughput);
          if (round === 0) r.last[peer] = byModel[m].last;
        }
      }
    }
  }
  for (const threads of [1, 2]) {
    for (const m of MODELS) {
      const r = results[threads][m];
      const reference = r.last['ort-node'];
      r.latency = Object.fromEntries(PEERS.map((p) => [p, median(r.latencies[p])]));
      r.throughput = Object.fromEntries(PEERS.map((p) => [p, median(r.throughputs[p])]));
      r.maxDiff = Object.fromEntries(PEERS.map((p) => [p, reference.reduce((worst, v, i) => Math.max(worst, Math.abs(v - r.last[p][i])), 0)]));
      delete r.last;
    }
  }
  return results;
}

/**
 * Milliseconds from a fresh process's first line to its first prediction (module import, wasm
 * compile, the model read from its path, one row). Each runtime is given the path, as a server
 * loading its model would: each then reads the file its own way (wasmlearn uses weights in the
 * bytes it read in place; onnxruntime-node reads natively).
 */
function coldStart(runtime, model, dir) {
  const file = join(dir, `${model}.onnx`);
  const input = model === 'forest' ? { name: 'X', dims: [1, 20], output: 'probabilities' } : { name: 'input', dims: [1, ...{ mlp: [784], cnn: [1, 28, 28], mobilenetv2: [3, 224, 224] }[model]], output: 'output' };
  const n = input.dims.reduce((a, b) => a * b, 1);
  const body = {
    wasmlearn: `const m = await import(${JSON.stringify(new URL('../dist/onnx.js', import.meta.url).href)});
      const model = await m.loadOnnx(${JSON.stringify(file)});
      await model.run({ ${JSON.stringify(input.name)}: { data: new Float32Array(${n}).fill(0.5), dims: ${JSON.stringify(input.dims)} } }, [${JSON.stringify(input.output)}]);`,
    'ort-web': `const ort = await import('onnxruntime-web');
      const s = await ort.InferenceSession.create(${JSON.stringify(file)});
      await s.run({ ${JSON.stringify(input.name)}: new ort.Tensor('float32', new Float32Array(${n}).fill(0.5), ${JSON.stringify(input.dims)}) }, [${JSON.stringify(input.output)}]);`,
    'ort-node': `const { default: ort } = await import('onnxruntime-node');
      const s = await ort.InferenceSession.create(${JSON.stringify(file)});
      await s.run({ ${JSON.stringify(input.name)}: new ort.Tensor('float32', new Float32Array(${n}).fill(0.5), ${JSON.stringify(input.dims)}) }, [${JSON.stringify(input.output)}]);`,
  }[runtime];
  const script = `const t0 = performance.now(); ${body} console.log(performance.now() - t0); process.exit(0);`;
  const times = [];
  for (let k = 0; k < (quick ? 3 : 5); k++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: childEnv(dir) });
    times.push(Number(out.trim().split('\n').pop()));
  }
  return median(times);
}

/** Bytes and gzipped bytes of an edge worker's code: one minified bundle plus the .wasm it loads. */
function bundleSizes(dir) {
  const entry = join(dir, 'worker-entry.mjs');
  const sizes = {};
  const measureBundle = (name, source, wasmFiles) => {
    writeFileSync(entry, source);
    // Every chunk the bundler writes (the library starts its worker threads from a chunk of their own).
    const out = join(dir, `${name.replace('/', '-')}-bundle`);
    execFileSync(join(root, 'node_modules/.bin/rolldown'), [entry, '--minify', '--format', 'esm', '-d', out, '--platform', 'neutral'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    const files = readdirSync(out).filter((f) => f.endsWith('.js') || f.endsWith('.mjs'));
    const js = Buffer.concat(files.map((f) => readFileSync(join(out, f))));
    // What a worker that loads and runs models executes: the entry chunk and the chunks it imports
    // statically; chunks only reached by import() load on demand (toModel's layers).
    const loaded = new Set();
    const follow = (f) => {
      if (loaded.has(f)) return;
      loaded.add(f);
      const code = readFileSync(join(out, f), 'utf8');
      for (const m of code.matchAll(/(?:from|import)\s*["']\.\/([^"']+)["']/g)) follow(m[1]);
    };
    for (const f of files.filter((f) => f.startsWith('worker-entry'))) follow(f);
    const first = Buffer.concat([...loaded].map((f) => readFileSync(join(out, f))));
    const wasm = wasmFiles.map((f) => readFileSync(f));
    sizes[name] = {
      entry: first.length, entryGzip: gzipSync(first, { level: 9 }).length,
      js: js.length, jsGzip: gzipSync(js, { level: 9 }).length,
      wasm: wasm.reduce((s, b) => s + b.length, 0), wasmGzip: wasm.reduce((s, b) => s + gzipSync(b, { level: 9 }).length, 0),
    };
  };
  measureBundle('wasmlearn/onnx', `export { loadOnnx } from ${JSON.stringify(join(root, 'dist/onnx.js'))};`, [join(root, 'dist/wasm/simd.wasm')]);
  const web = join(root, 'node_modules/onnxruntime-web/dist');
  // onnxruntime-web's smallest build for CPU inference: the wasm-only entry and its one SIMD binary.
  measureBundle('onnxruntime-web', `export { InferenceSession, Tensor } from ${JSON.stringify(join(web, 'ort.wasm.min.mjs'))};`, [join(web, 'ort-wasm-simd-threaded.wasm')]);
  const du = (path) => {
    let total = 0;
    const walk = (p) => {
      const st = statSync(p);
      if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
      else total += st.size;
    };
    walk(path);
    return total;
  };
  sizes.install = { 'onnxruntime-web': du(join(root, 'node_modules/onnxruntime-web')) + du(join(root, 'node_modules/onnxruntime-common')),
    'onnxruntime-node': du(join(root, 'node_modules/onnxruntime-node')) + du(join(root, 'node_modules/onnxruntime-common')) };
  return sizes;
}

if (process.argv.includes('--sizes')) {
  // Only the bundle sizes (the rest of the tables come from a full run).
  const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-onnx-sizes-'));
  try {
    const sizes = bundleSizes(dir);
    console.log(JSON.stringify(sizes, null, 1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

if (process.argv.includes('--child')) {
  const peer = process.argv[process.argv.indexOf('--child') + 1];
  const threads = Number(process.argv[process.argv.indexOf('--child') + 2]);
  const dir = process.argv[process.argv.indexOf('--dir') + 1];
  // Exit once the pipe has taken everything (a large write is not flushed by an immediate exit).
  process.stdout.write(JSON.stringify(await measure(peer, threads, dir, process.argv.includes('--later'))), () => process.exit(0));
  await new Promise(() => {});
}

const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-onnx-bench-'));
if (process.argv.includes('--cold')) {
  // Only the cold starts (the rest of the tables come from a full run).
  try {
    await writeModels(dir);
    const cold = Object.fromEntries(MODELS.map((m) => [m, Object.fromEntries(PEERS.map((p) => [p, coldStart(p, m, dir)]))]));
    console.log(JSON.stringify(cold, null, 1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}
try {
  await writeModels(dir);
  const files = Object.fromEntries(MODELS.map((m) => [m, statSync(join(dir, `${m}.onnx`)).size]));
  const results = measureAll(dir);
  const cold = Object.fromEntries(MODELS.map((m) => [m, Object.fromEntries(PEERS.map((p) => [p, coldStart(p, m, dir)]))]));
  const sizes = bundleSizes(dir);

  const { cpu, cores } = machine();
  console.log(`\nThe same ONNX files in wasmlearn/onnx, onnxruntime-web (wasm) and onnxruntime-node; ${cpu}, ${cores} cores, Node ${process.version}\n`);
  const ratio = (theirs, ours) => `${fixed(theirs / ours, 2)}×`;
  printTable(['model', 'measure', 'threads', ...PEERS, 'ort-web / ours', 'ort-node / ours'], MODELS.flatMap((m) => [1, 2].flatMap((t) => {
    const r = results[t][m];
    return [
      [m, 'batch 1 (ms)', String(t), ...PEERS.map((p) => fixed(r.latency[p] * 1000, 2)), ratio(r.latency['ort-web'], r.latency.wasmlearn), ratio(r.latency['ort-node'], r.latency.wasmlearn)],
      [m, `${ROWS[m]} rows (s)`, String(t), ...PEERS.map((p) => fixed(r.throughput[p], 3)), ratio(r.throughput['ort-web'], r.throughput.wasmlearn), ratio(r.throughput['ort-node'], r.throughput.wasmlearn)],
    ];
  })));
  console.log('\nRatios are their time over ours: above 1, wasmlearn is faster.');
  console.log(`Largest output difference from onnxruntime-node's: ${MODELS.map((m) => `${m} ${PEERS.slice(0, 2).map((p) => `${p} ${results[1][m].maxDiff[p].toExponential(1)}`).join(' / ')}`).join('; ')}.`);
  console.log(`\nCold start to a first prediction (fresh process: import, compile, read the file, one row; ms, median)\n`);
  printTable(['model', 'file (kB)', ...PEERS], MODELS.map((m) => [m, fixed(files[m] / 1024, 0), ...PEERS.map((p) => fixed(cold[m][p], 0))]));
  const kb = (b) => fixed(b / 1024, 0);
  console.log(`\nWhat an edge worker ships (minified bundle of the entry + the .wasm it loads; kB, gzipped in brackets)\n`);
  printTable(['package', 'JavaScript', '.wasm', 'total (entry + .wasm)', 'install (node_modules)'], [
    ['wasmlearn/onnx', `${kb(sizes['wasmlearn/onnx'].entry)} (${kb(sizes['wasmlearn/onnx'].entryGzip)}); with toModel's layers ${kb(sizes['wasmlearn/onnx'].js)} (${kb(sizes['wasmlearn/onnx'].jsGzip)})`, `${kb(sizes['wasmlearn/onnx'].wasm)} (${kb(sizes['wasmlearn/onnx'].wasmGzip)})`,
      `${kb(sizes['wasmlearn/onnx'].entry + sizes['wasmlearn/onnx'].wasm)} (${kb(sizes['wasmlearn/onnx'].entryGzip + sizes['wasmlearn/onnx'].wasmGzip)})`, 'see README (npm pack)'],
    ['onnxruntime-web', `${kb(sizes['onnxruntime-web'].entry)} (${kb(sizes['onnxruntime-web'].entryGzip)})`, `${kb(sizes['onnxruntime-web'].wasm)} (${kb(sizes['onnxruntime-web'].wasmGzip)})`,
      `${kb(sizes['onnxruntime-web'].entry + sizes['onnxruntime-web'].wasm)} (${kb(sizes['onnxruntime-web'].entryGzip + sizes['onnxruntime-web'].wasmGzip)})`, `${fixed(sizes.install['onnxruntime-web'] / 2 ** 20, 0)} MB`],
  ]);
  const ours = sizes['wasmlearn/onnx'], theirs = sizes['onnxruntime-web'];
  console.log(`\nonnxruntime-web's worker code is ${fixed((theirs.entry + theirs.wasm) / (ours.entry + ours.wasm), 1)}× wasmlearn/onnx's (${fixed((theirs.entryGzip + theirs.wasmGzip) / (ours.entryGzip + ours.wasmGzip), 1)}× gzipped; ${fixed((theirs.entry + theirs.wasm) / (ours.js + ours.wasm), 1)}× counting toModel's chunk); onnxruntime-node installs ${fixed(sizes.install['onnxruntime-node'] / 2 ** 20, 0)} MB.`);
  const file = writeResults(quick ? 'onnx-quick' : 'onnx', { quick, results, cold, sizes, files });
  console.log(`results written to ${file}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
