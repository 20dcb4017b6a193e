import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { RenderedFile } from '../render/types';
import { CliError } from './io';

/**
 * The Kubernetes API server refuses a Secret whose data (decoded `data` plus
 * `stringData`) exceeds 1 MiB (MaxSecretSize): a package holding one would fail at
 * apply time, half installed. Refused at render time instead (exit 2).
 */
export const MAX_SECRET_BYTES = 1024 * 1024;

/**
 * Refuses any of a cluster's secret manifests (paths relative to OUT) whose Secrets
 * exceed the cap. A manifest no larger than the cap cannot hold more data than that
 * (base64 only grows it), so only larger ones are parsed: normal packages pay a length
 * check per secret manifest.
 */
export function refuseOversizedSecrets(cluster: string, files: readonly RenderedFile[], outDir: string): void {
  for (const file of files) {
    if (!file.secret || !/\.ya?ml$/.test(file.path) || Buffer.byteLength(file.content) <= MAX_SECRET_BYTES) continue;
    for (const doc of parseAllDocuments(file.content)) {
      const secret = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown }; data?: Record<string, unknown>; stringData?: Record<string, unknown> } | null;
      if (secret?.kind !== 'Secret') continue;
      const bytes = secretDataBytes(secret);
      if (bytes > MAX_SECRET_BYTES) {
        throw new CliError(
          `asmpkg: ${path.join(outDir, file.path)}: Secret ${String(secret.metadata?.name ?? '')} of cluster ${cluster} holds ${bytes} bytes of data; ` +
            `the Kubernetes API server refuses Secrets over ${MAX_SECRET_BYTES} bytes (1 MiB): check the certificate files it is made from`,
          2,
        );
      }
    }
  }
}

/** Bytes of a Secret's data as the API server counts them. */
export function secretDataBytes(secret: { data?: Record<string, unknown>; stringData?: Record<string, unknown> }): number {
  let total = 0;
  for (const value of Object.values(secret.data ?? {})) total += typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
  for (const value of Object.values(secret.stringData ?? {})) total += typeof value === 'string' ? Buffer.byteLength(value) : 0;
  return total;
}
