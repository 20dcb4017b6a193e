#!/usr/bin/env node
'use strict';
// A closed pipe (`asmpkg lint ... | head`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
// A fresh clone has no lib/ until the first build: make it rather than fail. (Only its
// presence is checked here; `npm run build` after changing src/.)
if (!require('./build-if-needed').buildIfNeeded({ checkSources: false })) {
  process.exitCode = 2;
} else {
  require('../lib/cli/main').main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
