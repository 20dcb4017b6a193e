import { createHash } from 'node:crypto';

/**
 * Hashing for the index and the no-op check. Kept apart from the YAML code so that a
 * run with nothing to do loads no more than this.
 */
export const INDEX_FILE = 'index.yaml';

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function readFingerprint(indexText: string): string | undefined {
  return /^# fingerprint: ([0-9a-f]{64})\n/.exec(indexText)?.[1];
}
