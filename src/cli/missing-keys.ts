import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { ClusterSpec } from '../config/model';
import { PACKAGE_DIRS } from '../catalog/layout';
import { INDEX_FILE } from '../render/fingerprint';

/**
 * Key material a previous run recorded in OUT/index.yaml and that is gone now (a fresh
 * clone, where secrets/ is git-ignored; a deleted directory; a restore that missed it):
 * making new key material in its place would silently rotate the trust of a running
 * mesh, so each such cluster is a refusal, all of them in one run. Only the sets a
 * cluster would generate count: an on-prem cluster's CA when it is not the user's own
 * (certificates.dir), a GKE cluster's webhook serving certificates (in directories below
 * secrets/).
 *
 * Returns one line per cluster, in config order.
 */
export function missingKeyProblems(
  specs: readonly ClusterSpec[],
  keyFiles: ReadonlyMap<string, readonly string[]>,
  outDir: string,
  regenerate: ReadonlySet<string>,
): string[] {
  const lines: string[] = [];
  for (const spec of specs) {
    const recorded = keyFiles.get(spec.name);
    if (!recorded || regenerate.has(spec.name)) continue;
    const onGke = spec.profile !== 'onprem';
    const generated = recorded.filter((file) => (file.includes('/') ? onGke : !onGke && !spec.certificates.dir));
    const secretsDir = path.join(outDir, spec.name, PACKAGE_DIRS.secrets);
    const missing = generated.filter((file) => !existsSync(path.join(secretsDir, file)));
    if (missing.length === 0) continue;
    const them = missing.length === 1 ? 'it' : 'them';
    lines.push(
      `asmpkg: ${secretsDir}/: ${missing.join(', ')} (recorded in ${path.join(outDir, INDEX_FILE)}) ${missing.length === 1 ? 'is' : 'are'} missing; ` +
        `restore ${them} from where you keep ${spec.name}'s key material (secrets/ is git-ignored: a clone does not have it), ` +
        `or pass --regenerate-ca ${spec.name} to make new key material for this cluster only`,
    );
  }
  return lines;
}
