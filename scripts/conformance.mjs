// `npm run conformance`: runs the conformance suite (tests/conformance) and prints what it tried
// as a table, estimators × checks (pass / fail and counts), from tests/conformance/out/report-*.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const out = new URL('tests/conformance/out/', root);
rmSync(out, { recursive: true, force: true });
const run = spawnSync(new URL('node_modules/.bin/vitest', root).pathname, ['run', '--project', 'conformance', '--reporter', 'json', '--outputFile', new URL('tests/conformance/out/vitest.json', root).pathname],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const parts = existsSync(out) ? readdirSync(out).filter((f) => f.startsWith('report-')) : [];
if (parts.length === 0) {
  console.error('conformance: the suite did not write its report');
  process.exit(1);
}
const rows = parts.flatMap((f) => JSON.parse(readFileSync(new URL(f, out), 'utf8')));
const results = JSON.parse(readFileSync(new URL('tests/conformance/out/vitest.json', root), 'utf8'));
// Test names are "<estimator> <check title>": pass / fail by estimator and check.
const outcome = new Map();
for (const file of results.testResults) for (const t of file.assertionResults) outcome.set(t.ancestorTitles.join(' ') + ' | ' + t.title, t.status);
const checks = [...new Set(rows.map((r) => r.check))];
const estimators = [...new Set(rows.map((r) => r.estimator))];
const cell = (estimator, check) => {
  const row = rows.find((r) => r.estimator === estimator && r.check === check);
  return row ? String(row.count) : '';
};
console.log(`| estimator | ${checks.join(' | ')} |`);
console.log(`|---|${checks.map(() => '---').join('|')}|`);
for (const e of estimators) console.log(`| ${e} | ${checks.map((c) => cell(e, c)).join(' | ')} |`);
const statuses = [...outcome.values()];
const failed = statuses.filter((s) => s !== 'passed').length;
const sum = (check) => rows.filter((r) => r.check === check).reduce((a, r) => a + r.count, 0);
const detail = (key) => rows.reduce((a, r) => a + (r.detail?.[key] ?? 0), 0);
console.log(`\n${statuses.length - failed} of ${statuses.length} checks passed (cells: inputs, calls or mutations each check tried; a recorded count means the check passed).`);
console.log(`corrupt files: ${sum('corrupt bytes')} mutations (${detail('refused')} refused by the loader, ${detail('loadedAndAnswered')} answers from re-checksummed models, ${detail('loadedAndRefused')} clear refusals at predict); calls in the leak check: ${sum('no leaks')}; bytes leaked: ${detail('leaked')}.`);
for (const [name, status] of outcome) if (status !== 'passed') console.log(`FAILED: ${name}`);
process.exit(run.status ?? 1);
