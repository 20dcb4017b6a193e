import { INPUT_CAPS, readInputFile, readTextFile } from '../util/input-file';
import * as path from 'node:path';
import { INDEX_FILE, readFingerprint, sha256 } from '../render/fingerprint';

/**
 * Whether OUT already holds exactly what this run would write: the index's fingerprint
 * matches, and every file and external input it lists is unchanged on disk. Reads the
 * index with a regex and a line scan rather than a YAML parser, because this check is
 * the whole of a no-op run and must cost next to nothing.
 */
export async function isUpToDate(outDir: string, fingerprint: string, configDir: string): Promise<boolean> {
  const indexFile = path.join(outDir, INDEX_FILE);
  // Bounded reads of regular files only: a FIFO or device among the inputs must not hang the check.
  const indexText = await readTextFile(indexFile, indexFile, { maxBytes: INPUT_CAPS.index }).catch(() => undefined);
  if (indexText === undefined || readFingerprint(indexText) !== fingerprint) return false;
  const entries = [...indexText.matchAll(/^\s*- path: (.+)\n\s+sha256: ([0-9a-f]{64})$/gm)];
  if (entries.length === 0) return false;
  // Entries before `clusters:` are external inputs (paths from the config's directory), the rest package files.
  const clustersAt = indexText.indexOf('\nclusters:');
  const checks = entries.map(async (m) => {
    const rel = m[1].replace(/^["']|["']$/g, '');
    const isInput = clustersAt === -1 || (m.index ?? 0) < clustersAt;
    const file = isInput ? path.resolve(configDir, rel) : path.join(outDir, rel);
    const content = await readInputFile(file, file, { maxBytes: isInput ? INPUT_CAPS.pem : INPUT_CAPS.packageFile }).catch(() => undefined);
    return content !== undefined && sha256(content) === m[2];
  });
  return (await Promise.all(checks)).every(Boolean);
}
