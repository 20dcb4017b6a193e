#!/usr/bin/env node
// Regenerates the committed files that are derived from the code: the config's JSON
// Schema, the support-matrix page, the upstream-differences page and the kpt packages. Tests fail when they are stale.
// Run with `npm run generate` (it builds first).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const write = (rel, content) => {
  const file = path.join(ROOT, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  process.stdout.write(`wrote ${rel}\n`);
};

const { configJsonSchema } = require('../lib/config/json-schema');
write('schema/asmpkg.schema.json', configJsonSchema());

const { renderSupportMatrixMarkdown, SUPPORT_MATRIX_DOC_PATH } = require('../lib/catalog/support-matrix-doc');
write(SUPPORT_MATRIX_DOC_PATH, renderSupportMatrixMarkdown());

const { renderUpstreamDifferencesMarkdown, UPSTREAM_DIFFERENCES_DOC_PATH } = require('../lib/catalog/upstream-differences-doc');
write(UPSTREAM_DIFFERENCES_DOC_PATH, renderUpstreamDifferencesMarkdown());
const { withOfferingsTable } = require('../lib/catalog/offerings-doc');
write('README.md', withOfferingsTable(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')));

require('./packages');
