#!/usr/bin/env node
'use strict';
// Entry for `cdk8s synth` (cdk8s.yaml `app`): builds lib/ when src/ changed or it is
// missing, then renders the config named by ASMPKG_CONFIG (default: the embedded example)
// to the directory cdk8s names in CDK8S_OUTDIR, exactly as `asmpkg synth` would.
const { buildIfNeeded } = require('./build-if-needed');

if (!buildIfNeeded({ checkSources: true })) {
  process.exitCode = 2;
} else {
  const args = ['synth', '--out', process.env.CDK8S_OUTDIR || 'dist'];
  if (process.env.ASMPKG_CONFIG) args.push('--config', process.env.ASMPKG_CONFIG);
  require('../lib/cli/main')
    .main(args)
    .then((code) => {
      process.exitCode = code;
    });
}
