import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require('../../package.json') as { version: string };

/** Name and version written into every index, part of the output fingerprint. */
export const VERSION = pkg.version;
export const GENERATOR = `asmpkg ${VERSION}`;

/** The embedded example config `npm run synth` renders. */
export const EXAMPLE_CONFIG = path.resolve(__dirname, '../../examples/asmpkg.yaml');
