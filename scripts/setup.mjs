// Installs what the npm scripts need on a fresh clone, so that `npm run main` and `npm test`
// work with nothing installed by hand:
//   - node_modules from package-lock.json (npm ci), unless it is already installed from this lock;
//   - with --browser: Debian's chromium for the browser tests (apt-get, as root), if missing;
//   - with --python: Debian's python3-sklearn and python3-onnx for the benchmarks' scikit-learn
//     figures and the ONNX bench's forest (apt-get, as root), if /usr/bin/python3 lacks them.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const lock = readFileSync(new URL('package-lock.json', root));
const stamp = new URL('node_modules/.wasmlearn-lock-sha256', root);
const hash = createHash('sha256').update(lock).digest('hex');

function run(command, args) {
  console.error(`setup: ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}

if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== hash) {
  // The npm that runs this script (npm_execpath), not an npm found in node_modules/.bin.
  const npm = process.env.npm_execpath;
  if (npm && npm.endsWith('.js')) run(process.execPath, [npm, 'ci']);
  else run('npm', ['ci']);
  writeFileSync(stamp, hash + '\n');
}

/** Installs Debian packages (as root) or says how to. */
function aptInstall(packages, why) {
  if (process.getuid?.() !== 0) {
    console.error(`setup: ${why}: run \`sudo apt-get install -y ${packages.join(' ')}\``);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.error(`setup: apt-get install -y ${packages.join(' ')}`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
}

if (process.argv.includes('--browser') && !existsSync('/usr/bin/chromium')) aptInstall(['chromium'], 'the browser tests need /usr/bin/chromium');

if (process.argv.includes('--python')) {
  const has = (module) => {
    try {
      execFileSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (!has('sklearn') || !has('onnx')) aptInstall(['python3-sklearn', 'python3-onnx'], 'the benchmarks need scikit-learn and onnx in /usr/bin/python3');
}
