'use strict';
// Compiles src/ to lib/ when lib/ is missing or older than a source file, so that
// `cdk8s synth` and `npx asmpkg` work on a fresh clone right after `npm ci` (lib/ is
// not committed). Uses the TypeScript compiler the devDependencies install.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const MARKER = path.join(ROOT, 'lib', 'cli', 'main.js');

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds unless lib/ is there and (with `checkSources`) newer than every file of src/.
 * Returns false, having said why on stderr, when the build fails.
 */
function buildIfNeeded({ checkSources }) {
  const built = fs.existsSync(MARKER) ? fs.statSync(MARKER).mtimeMs : undefined;
  const src = path.join(ROOT, 'src');
  if (built !== undefined && (!checkSources || !fs.existsSync(src) || newestSource(src) <= built)) return true;
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  } catch {
    process.stderr.write('asmpkg: lib/ is not built and TypeScript is not installed: run `npm ci` first\n');
    return false;
  }
  const run = require('node:child_process').spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) {
    process.stderr.write('asmpkg: building lib/ failed (npm run build)\n');
    return false;
  }
  // tsc leaves unchanged outputs alone: mark the build as current
  const now = new Date();
  fs.utimesSync(MARKER, now, now);
  return true;
}

module.exports = { buildIfNeeded };
