/** Helpers of the hardening tests (test/hardening/). */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { RunResult } from './cli';
import { configText, GKE_CLUSTER } from './config';

/** A line of a JavaScript stack trace. */
export const STACK_LINE = /^\s+at /;

/** stderr split into lines (none when empty). */
export function stderrLines(r: RunResult): string[] {
  return r.stderr === '' ? [] : r.stderr.split('\n');
}

/**
 * What an interrupted or failed write could leave: staging or trash beside OUT (older
 * versions), or the work directory and lock inside OUT (any directory of `parent`).
 */
export function leftoverStaging(parent: string): string[] {
  const beside = readdirSync(parent).filter((n) => /\.asmpkg-/.test(n));
  const inside = readdirSync(parent, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => readdirSync(path.join(parent, e.name)).filter((n) => n.startsWith('.asmpkg')).map((n) => `${e.name}/${n}`));
  return [...beside, ...inside];
}

/** A valid config padded with comment lines to at least `bytes` bytes. */
export function bigConfigText(bytes: number): string {
  const line = `# ${'padding '.repeat(12)}\n`;
  const base = configText(GKE_CLUSTER);
  return base + line.repeat(Math.ceil((bytes - base.length) / line.length) + 1);
}

/** PEM private key blocks of any kind (PKCS#8, RSA, EC, encrypted). */
export const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Strings that betray a PEM private key: its base64 body joined, each full body line,
 * and the base64 of the whole PEM file (as a Secret's `data` carries it).
 */
export function keyNeedles(pem: string): string[] {
  const body = pem
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('-----'))
    .map((l) => l.trim());
  const lines = body.filter((l) => l.length >= 40);
  return [...new Set([body.join(''), ...lines, Buffer.from(pem).toString('base64')])];
}
