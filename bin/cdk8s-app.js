#!/usr/bin/env node
'use strict';
// Entry for `cdk8s synth` (cdk8s.yaml `app`): renders the embedded example config to the
// directory cdk8s names in CDK8S_OUTDIR, exactly as `npm run synth` renders it to dist/.
const out = process.env.CDK8S_OUTDIR || 'dist';
require('../lib/cli/main')
  .main(['synth', '--out', out])
  .then((code) => {
    process.exitCode = code;
  });
