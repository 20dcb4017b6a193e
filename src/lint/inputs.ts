import { promises as fs } from 'fs';
import * as path from 'path';
import { noManifestsMessage } from './format';
import type { LintInputError } from './model';

/**
 * Resolves `asmpkg lint PATH...` to manifest texts: files as named, directories
 * recursively (`*.yaml`, `*.yml`, `*.json`, sorted, so output order is stable), and `-`
 * for standard input. Names in findings are the paths as the user wrote them.
 */

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** A manifest bigger than this is refused rather than read into memory. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

export interface ManifestText {
  readonly file: string;
  readonly text: string;
}

export interface InputSources {
  readonly cwd: string;
  readonly stdin?: () => Promise<string>;
}

export async function readInputs(paths: readonly string[], sources: InputSources): Promise<{ inputs: ManifestText[]; errors: LintInputError[] }> {
  const inputs: ManifestText[] = [];
  const errors: LintInputError[] = [];
  let stdinRead = false;
  for (const p of paths) {
    if (p === '-') {
      if (stdinRead) continue; // stdin can only be read once
      stdinRead = true;
      if (!sources.stdin) errors.push({ file: '<stdin>', message: 'standard input is not available' });
      else inputs.push({ file: '<stdin>', text: await sources.stdin() });
      continue;
    }
    const abs = path.resolve(sources.cwd, p);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch (e) {
      errors.push({ file: p, message: describe(e) });
      continue;
    }
    let files: { shown: string; abs: string }[] = [{ shown: p, abs }];
    if (stat.isDirectory()) {
      try {
        files = (await walk(abs)).map((rel) => ({ shown: path.join(p, rel), abs: path.join(abs, rel) }));
      } catch (e) {
        errors.push({ file: p, message: describe(e) });
        continue;
      }
      // A typo'd or empty directory must not pass as "nothing unsupported found".
      if (files.length === 0) errors.push({ file: p, message: noManifestsMessage(p) });
    }
    for (const f of files) {
      try {
        const size = (await fs.stat(f.abs)).size;
        if (size > MAX_MANIFEST_BYTES) errors.push({ file: f.shown, message: `larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB; refused` });
        else inputs.push({ file: f.shown, text: await fs.readFile(f.abs, 'utf8') });
      } catch (e) {
        errors.push({ file: f.shown, message: describe(e) });
      }
    }
  }
  return { inputs, errors };
}

/** Manifest files under a directory, relative to it. Symlinked and hidden directories are not followed. */
async function walk(dir: string, rel = ''): Promise<string[]> {
  const entries = (await fs.readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const child = path.join(rel, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.')) out.push(...(await walk(dir, child)));
    } else if ((e.isFile() || e.isSymbolicLink()) && MANIFEST_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) {
      out.push(child);
    }
  }
  return out;
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file or directory';
  if (err.code === 'EACCES') return 'permission denied';
  if (err.code === 'EISDIR') return 'is a directory';
  return err.message ?? String(e);
}
