import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

/**
 * How OUT differs from its index.yaml: files whose content does not match, files listed
 * but missing, files in a cluster's directory the index does not list, and entries of
 * OUT that are neither a listed cluster nor the index. Empty when OUT matches its index.
 */
export function indexMismatches(out: string): string[] {
  const index = parse(readFileSync(path.join(out, 'index.yaml'), 'utf8')) as { clusters: { name: string; files: { path: string; sha256: string }[] }[] };
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const cluster of index.clusters) {
    for (const f of cluster.files) {
      listed.add(f.path);
      let content: Buffer;
      try {
        content = readFileSync(path.join(out, f.path));
      } catch {
        problems.push(`missing ${f.path}`);
        continue;
      }
      if (createHash('sha256').update(content).digest('hex') !== f.sha256) problems.push(`changed ${f.path}`);
    }
    for (const e of readdirSync(path.join(out, cluster.name), { recursive: true, withFileTypes: true })) {
      if (e.isDirectory()) continue;
      const rel = path.relative(out, path.join(e.parentPath ?? e.path, e.name));
      if (!listed.has(rel)) problems.push(`unlisted ${rel}`);
    }
  }
  const clusters = new Set(index.clusters.map((c) => c.name));
  for (const name of readdirSync(out)) if (name !== 'index.yaml' && !clusters.has(name)) problems.push(`extra ${name}`);
  return problems;
}
