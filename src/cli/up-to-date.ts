import { promises as fs } from 'node:fs';
import { INPUT_CAPS, readInputFile, readTextFile } from '../util/input-file';
import * as path from 'node:path';
import { INDEX_FILE, readFingerprint, sha256 } from '../render/fingerprint';

/** OUT/.asmpkg-swap (swap.ts): named here so the no-op check loads no more than it needs. */
const SWAP_WORK_DIR = '.asmpkg-swap';

/**
 * Whether OUT already holds exactly what this run would write: the index's fingerprint
 * matches, every file and external input it lists is unchanged on disk, the package
 * directories hold no file it does not list, and no interrupted run left work to finish.
 * Reads the index with a regex and a line scan rather than a YAML parser, because this
 * check is the whole of a no-op run and must cost next to nothing.
 */
export async function isUpToDate(outDir: string, fingerprint: string, configDir: string): Promise<boolean> {
  const indexFile = path.join(outDir, INDEX_FILE);
  // Bounded reads of regular files only: a FIFO or device among the inputs must not hang the check.
  const indexText = await readTextFile(indexFile, indexFile, { maxBytes: INPUT_CAPS.index }).catch(() => undefined);
  if (indexText === undefined || readFingerprint(indexText) !== fingerprint) return false;
  const entries = [...indexText.matchAll(/^\s*- path: (.+)\n\s+sha256: ([0-9a-f]{64})$/gm)];
  if (entries.length === 0) return false;
  if (await fs.lstat(path.join(outDir, SWAP_WORK_DIR)).then(() => true, () => false)) return false;
  // Entries before `clusters:` are external inputs (paths from the config's directory), the rest package files.
  const clustersAt = indexText.indexOf('\nclusters:');
  const listed = new Set<string>();
  const checks = entries.map(async (m) => {
    const rel = m[1].replace(/^["']|["']$/g, '');
    const isInput = clustersAt === -1 || (m.index ?? 0) < clustersAt;
    if (!isInput) listed.add(rel);
    const file = isInput ? path.resolve(configDir, rel) : path.join(outDir, rel);
    const content = await readInputFile(file, file, { maxBytes: isInput ? INPUT_CAPS.pem : INPUT_CAPS.packageFile }).catch(() => undefined);
    return content !== undefined && sha256(content) === m[2];
  });
  if (!(await Promise.all(checks)).every(Boolean)) return false;
  return !(await hasUnlistedFiles(outDir, listed));
}

/** Whether a package directory (a cluster's, as the index names them) holds a file the index does not list. */
async function hasUnlistedFiles(outDir: string, listed: ReadonlySet<string>): Promise<boolean> {
  const clusters = new Set([...listed].map((rel) => rel.split('/')[0]));
  const found = await Promise.all(
    [...clusters].map(async (cluster) => {
      const entries = await fs.readdir(path.join(outDir, cluster), { recursive: true, withFileTypes: true }).catch(() => undefined);
      if (!entries) return true;
      return entries.some((e) => {
        if (e.isDirectory()) return false;
        const rel = path.relative(outDir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/');
        return !listed.has(rel);
      });
    }),
  );
  return found.some(Boolean);
}
