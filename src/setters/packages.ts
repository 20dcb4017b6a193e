import { PackageFile } from './types';

/** A kpt package: the files under a directory holding a Kptfile, minus nested packages. */
export interface KptPackage {
  /** POSIX directory relative to the set root; '' for the root itself. */
  readonly dir: string;
  /** The Kptfile, absent for the implicit root package of files outside any Kptfile. */
  readonly kptfile?: PackageFile;
  /** YAML files of the package (the Kptfile included). */
  readonly files: readonly PackageFile[];
}

const YAML_FILE = /(^|\/)(Kptfile|[^/]+\.ya?ml)$/;

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}

function isHidden(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.'));
}

/** A `.krmignore` line as a matcher for package-relative paths (gitignore-like, the common subset). */
function ignoreMatcher(pattern: string): (rel: string) => boolean {
  const p = pattern.replace(/^\//, '').replace(/\/$/, '');
  const re = new RegExp(
    '^' +
      p
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*') +
      '(/.*)?$',
  );
  return (rel) => re.test(rel);
}

/**
 * Groups files into packages the way kpt scopes `cfg set` and `fn render`: each
 * Kptfile starts a package; files belong to the nearest enclosing one. Hidden
 * files and directories and `.krmignore` matches are not package content.
 */
export function groupPackages(files: readonly PackageFile[]): KptPackage[] {
  const kptfiles = files.filter((f) => /(^|\/)Kptfile$/.test(f.path) && !isHidden(f.path));
  const dirs = kptfiles.map((f) => dirOf(f.path));
  const ignores = new Map<string, ((rel: string) => boolean)[]>();
  for (const f of files) {
    if (!/(^|\/)\.krmignore$/.test(f.path)) continue;
    const lines = f.content.split(/\r?\n/).map((l) => l.trim());
    ignores.set(dirOf(f.path), lines.filter((l) => l && !l.startsWith('#')).map(ignoreMatcher));
  }
  const owner = (path: string): string | undefined => {
    let best: string | undefined;
    for (const d of dirs) {
      const inside = d === '' || path.startsWith(d + '/');
      if (inside && (best === undefined || d.length > best.length)) best = d;
    }
    return best;
  };
  const byDir = new Map<string, PackageFile[]>();
  for (const f of files) {
    if (!YAML_FILE.test(f.path) || isHidden(f.path)) continue;
    const dir = owner(f.path) ?? '';
    const rel = dir === '' ? f.path : f.path.slice(dir.length + 1);
    if ((ignores.get(dir) ?? []).some((m) => m(rel))) continue;
    const list = byDir.get(dir) ?? [];
    list.push(f);
    byDir.set(dir, list);
  }
  return [...byDir.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([dir, pkgFiles]) => ({
      dir,
      kptfile: kptfiles.find((k) => dirOf(k.path) === dir),
      files: pkgFiles,
    }));
}

/** Joins a package directory and a package-relative path. */
export function joinPath(dir: string, rel: string): string {
  const parts: string[] = dir === '' ? [] : dir.split('/');
  for (const part of rel.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}
