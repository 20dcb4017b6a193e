#!/usr/bin/env node
// Regenerates the committed kpt packages from the compiled generator in lib/: kpt v1
// (apply-setters) in packages/<profile>/, kpt v0 (kpt 0.x setters) in packages/v0/<profile>/.
// test/packages fails when they are stale. Run with `npm run packages` (it builds first).
//
//   node scripts/packages.js                         both formats into packages/ and packages/v0/
//   node scripts/packages.js --format v0 --out DIR   one format into DIR/<profile>/
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const COMMITTED = path.join(ROOT, 'packages');

function usage(message) {
  if (message) process.stderr.write(`packages: ${message}\n`);
  process.stderr.write('usage: node scripts/packages.js [--format v0|v1] [--out DIR]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { format: undefined, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? a.split(/=(.*)/s) : [a, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--format') args.format = value();
    else if (flag === '--out') args.out = value();
    else if (flag === '-h' || flag === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (args.format !== undefined && args.format !== 'v0' && args.format !== 'v1') usage(`--format must be v0 or v1, not ${args.format}`);
  if ((args.format === undefined) !== (args.out === undefined || args.out === '')) usage('--format and --out go together');
  return args;
}

/** Writes one format's packages to DIR/<profile>/; fails on a field no setter reaches. */
function write(format, out, { packageTree, PACKAGE_PROFILES }) {
  const { files, unsupported } = packageTree(format);
  if (unsupported.length > 0) {
    for (const u of unsupported) {
      process.stderr.write(`packages: ${u.file} (document ${u.doc + 1}) ${u.field}: no setter comment for ${u.setters.join(', ')}: ${u.reason}\n`);
    }
    process.exit(1);
  }
  // each profile directory is replaced whole, so files the generator no longer makes go away
  for (const profile of PACKAGE_PROFILES) fs.rmSync(path.join(out, profile), { recursive: true, force: true });
  for (const f of files) {
    const dest = path.join(out, ...f.path.split('/'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, f.content);
  }
  const shown = path.relative(process.cwd(), out) || '.';
  process.stdout.write(`wrote ${files.length} files of ${PACKAGE_PROFILES.length} kpt ${format} packages to ${shown}/\n`);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const generator = require('../lib/packages');
  if (args.format) {
    write(args.format, path.resolve(args.out), generator);
    return;
  }
  for (const format of ['v1', 'v0']) write(format, path.join(COMMITTED, generator.PACKAGE_FORMAT_DIRS[format]), generator);
}

main();
