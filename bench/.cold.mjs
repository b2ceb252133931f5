// usage: node bench/.cold.mjs distdir model n
import { execFileSync } from 'node:child_process';
const [dist, model, n = 9] = process.argv.slice(2);
const dims = { mlp: [1, 784], cnn: [1, 1, 28, 28], mobilenetv2: [1, 3, 224, 224] }[model];
const size = dims.reduce((a, b) => a * b, 1);
const script = `const t0 = performance.now(); const m = await import(${JSON.stringify('file://' + dist + '/onnx.js')});
const t1 = performance.now();
const model = await m.loadOnnx('/tmp/om/${model}.onnx');
const t2 = performance.now();
await model.run({ input: { data: new Float32Array(${size}).fill(0.5), dims: ${JSON.stringify(dims)} } }, ['output']);
const t3 = performance.now();
console.log([t3 - t0, t1 - t0, t2 - t1, t3 - t2].map(x=>x.toFixed(1)).join(' ')); process.exit(0);`;
const rows = [];
for (let k = 0; k < n; k++) rows.push(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim().split(' ').map(Number));
const med = (i) => rows.map((r) => r[i]).sort((a, b) => a - b)[rows.length >> 1];
console.log(model, 'total', med(0), 'import', med(1), 'load', med(2), 'run', med(3));
