/**
 * The one place @peculiar/x509 is configured. The library resolves its dependency
 * container through the Reflect metadata API and needs a WebCrypto implementation;
 * Node ships one, so no polyfill package is needed beyond reflect-metadata.
 * Import x509 from here, never from '@peculiar/x509' directly, so the setup has run.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// Node's webcrypto.Crypto and the DOM Crypto type the library declares describe the
// same object; the cast only bridges the two type declarations.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509, webcrypto };
