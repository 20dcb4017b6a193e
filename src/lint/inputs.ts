import { promises as fs } from 'fs';
import * as path from 'path';
import { errnoReason, InputFileError, INPUT_CAPS, readTextFile } from '../util/input-file';
import { noManifestsMessage } from './format';
import type { LintInputError } from './model';

/**
 * Resolves `asmpkg lint PATH...` to manifest texts: files as named, directories
 * recursively (`*.yaml`, `*.yml`, `*.json`, sorted, so output order is stable), and `-`
 * for standard input. Names in findings are the paths as the user wrote them.
 */

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** A manifest (or standard input) bigger than this is refused rather than read into memory. */
export const MAX_MANIFEST_BYTES = INPUT_CAPS.manifest;

export interface ManifestText {
  readonly file: string;
  readonly text: string;
}

export interface InputSources {
  readonly cwd: string;
  /** Reads standard input, refusing more than `maxBytes` (throws InputFileError). */
  readonly stdin?: (maxBytes: number) => Promise<string>;
}

const READ = { maxBytes: MAX_MANIFEST_BYTES, what: 'a manifest file' };

export async function readInputs(paths: readonly string[], sources: InputSources): Promise<{ inputs: ManifestText[]; errors: LintInputError[] }> {
  const inputs: ManifestText[] = [];
  const errors: LintInputError[] = [];
  let stdinRead = false;
  for (const p of paths) {
    if (p === '-') {
      if (stdinRead) continue; // stdin can only be read once
      stdinRead = true;
      if (!sources.stdin) errors.push({ file: '<stdin>', message: 'standard input is not available' });
      else {
        try {
          const text = await sources.stdin(MAX_MANIFEST_BYTES);
          if (Buffer.byteLength(text, 'utf8') > MAX_MANIFEST_BYTES) throw new InputFileError('<stdin>', `is larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB, the limit for standard input; refused`, 'too-large');
          inputs.push({ file: '<stdin>', text });
        } catch (e) {
          errors.push({ file: '<stdin>', message: describe(e) });
        }
      }
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
        // Only regular files, within the cap, strict UTF-8: a FIFO or /dev/zero is refused at once.
        inputs.push({ file: f.shown, text: await readTextFile(f.abs, f.shown, READ) });
      } catch (e) {
        errors.push({ file: f.shown, message: describe(e) });
      }
    }
  }
  return { inputs, errors };
}

/** Manifest files under a directory, relative to it. Symlinked and hidden directories are not followed; a non-regular entry named like a manifest is listed, so it is reported. */
async function walk(dir: string, rel = ''): Promise<string[]> {
  const entries = (await fs.readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const child = path.join(rel, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.')) out.push(...(await walk(dir, child)));
    } else if (MANIFEST_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) {
      // Whatever it is (a FIFO, a socket, a link to a device): reading it says why it is refused.
      out.push(child);
    }
  }
  return out;
}

function describe(e: unknown): string {
  if (e instanceof InputFileError) return e.reason;
  return errnoReason(e).reason;
}
