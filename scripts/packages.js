#!/usr/bin/env node
// Regenerates the committed kpt packages, packages/<profile>/ (kpt v0 setters), from the
// compiled generator in lib/. test/packages fails when they are stale.
// Run with `npm run packages` (it builds first).
//
//   node scripts/packages.js                         kpt v0 packages into packages/
//   node scripts/packages.js --format v1 --out DIR   kpt v1 (apply-setters) packages into DIR/<profile>/
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
  const args = { format: 'v0', out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? a.split(/=(.*)/s) : [a, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--format') args.format = value();
    else if (flag === '--out') args.out = value();
    else if (flag === '-h' || flag === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (args.format !== 'v0' && args.format !== 'v1') usage(`--format must be v0 or v1, not ${args.format}`);
  if (args.out === undefined || args.out === '') {
    if (args.format === 'v1') usage('--format v1 needs --out DIR (packages/ holds the committed kpt v0 packages)');
    args.out = COMMITTED;
  }
  args.out = path.resolve(args.out);
  return args;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const { packageTree, PACKAGE_PROFILES } = require('../lib/packages');
  const { files, unsupported } = packageTree(args.format);
  // each profile directory is replaced whole, so files the generator no longer makes go away
  for (const profile of PACKAGE_PROFILES) fs.rmSync(path.join(args.out, profile), { recursive: true, force: true });
  for (const f of files) {
    const dest = path.join(args.out, ...f.path.split('/'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, f.content);
  }
  const shown = path.relative(process.cwd(), args.out) || '.';
  process.stdout.write(`wrote ${files.length} files of ${PACKAGE_PROFILES.length} kpt ${args.format} packages to ${shown}/\n`);
  for (const u of unsupported) {
    process.stderr.write(`packages: warning: ${u.file} (document ${u.doc + 1}) ${u.field}: no setter comment for ${u.setters.join(', ')}: ${u.reason}\n`);
  }
}

main();
