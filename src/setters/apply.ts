import { asmValueProblems, ASM_VALUE_RULES } from './asm-values';
import { EditBook } from './edits';
import { setterValuesFromEnv } from './env';
import { SetterDef } from './kptfile';
import { applyLegacy, legacySetterNames, legacySlots } from './legacy';
import { LoadedPackage, loadPackages } from './load';
import { applyEdits } from './source';
import { unknownSetterMessage } from './suggest';
import { PackageFile, SetOptions, SetOutcome } from './types';
import { applyV0, refsWithoutDefinitions, resolveV0Setter, v0SetterNames } from './v0';
import { applyV1, configValues, patternSlots, v1SetterNames } from './v1';
import { valueProblem } from './values';

/** Setter names each package knows, for lookups and did-you-mean hints. */
function knownNames(p: LoadedPackage): Set<string> {
  return new Set([
    ...(p.v0 ? v0SetterNames(p.v0.setters) : []),
    ...legacySetterNames(legacySlots(p.files)),
    ...v1SetterNames(p.v1, patternSlots(p.files)),
  ]);
}

/** The problem for a directory with no Kptfile and no inline setters: nothing there is a kpt package. */
export const NO_KPTFILE = 'no Kptfile found (not a kpt package)';

/** The ASM setter (a key of ASM_VALUE_RULES) a given name sets in these packages, if any. */
function asmSetterName(packages: readonly LoadedPackage[], name: string): string | undefined {
  for (const p of packages) {
    const def = p.v0 ? resolveV0Setter(p.v0.setters, name) : undefined;
    if (def) for (const n of [def.id, def.name]) if (n in ASM_VALUE_RULES) return n;
  }
  return name in ASM_VALUE_RULES ? name : undefined;
}

/** The value a setter records in the packages (Kptfile, apply-setters config, inline comment), if any. */
function recordedValue(packages: readonly LoadedPackage[], name: string): string | undefined {
  for (const p of packages) {
    const def = p.v0 ? resolveV0Setter(p.v0.setters, name) : undefined;
    if (def?.value !== undefined) return def.value;
    const v1 = configValues(p.v1).get(name);
    if (v1 !== undefined) return v1;
    for (const slot of legacySlots(p.files)) {
      for (const s of [slot.meta.setter, ...slot.meta.partialSetters]) if (s?.name === name && s.value !== undefined) return s.value;
    }
  }
  return undefined;
}

/**
 * Applies setters to an in-memory package tree and returns the new contents. Files
 * are grouped into kpt packages by their Kptfiles; each package is set in its own
 * format (kpt v0 openAPI setters, the inline x-kustomize format, kpt v1 apply-setters).
 * Without NAME=VALUE pairs (or KPT_SET_ variables) packages are re-rendered from the
 * values they record. Nothing changes when any problem is found.
 */
export function applySetters(files: readonly PackageFile[], options: SetOptions = {}): SetOutcome {
  const book = new EditBook();
  const packages = loadPackages(files, book);
  const known = packages.map(knownNames);
  const allKnown = new Set(known.flatMap((k) => [...k]));
  const kptfiles = packages.filter((p) => p.pkg.kptfile);
  const unknownAt = kptfiles.length === 1 ? kptfiles[0].pkg.kptfile!.path : undefined;
  if (kptfiles.length === 0 && allKnown.size === 0 && book.problems.length === 0) {
    // Not a package at all (an empty or mistyped directory): say so rather than "unknown setter".
    return { files, changed: [], changes: [], problems: [{ message: NO_KPTFILE }], warnings: book.warnings };
  }

  // explicit NAME=VALUE pairs win over KPT_SET_ variables
  const requested = new Map<string, string>();
  const env = setterValuesFromEnv(options.env);
  for (const [name, value] of Object.entries(env.values)) {
    if (allKnown.has(name)) {
      requested.set(name, value);
      continue;
    }
    const caseOnly = [...allKnown].find((k) => k.toLowerCase() === name);
    book.warnings.push(
      `${env.sources[name]}: no setter ${JSON.stringify(name)} here` +
        (caseOnly ? ` (kpt lower-cases KPT_SET_ names, so setter ${JSON.stringify(caseOnly)} cannot be set this way)` : '') +
        '; ignored',
    );
  }
  for (const [name, value] of Object.entries(options.values ?? {})) {
    if (!allKnown.has(name)) {
      book.problem({ file: unknownAt, message: unknownSetterMessage(name, allKnown) });
      continue;
    }
    requested.set(name, value);
  }
  for (const [name, value] of [...requested]) {
    const problem = value.trim() === '' ? `empty value ${JSON.stringify(value)} refused; give a value (for an empty list: [])` : valueProblem(value, undefined);
    if (problem) {
      book.problem({ file: unknownAt, message: `setter ${JSON.stringify(name)}: ${problem}` });
      requested.delete(name);
    }
  }
  // the well-known ASM setters take only values ASM can install with (the config's rules)
  for (const p of asmValueProblems(requested, (name) => asmSetterName(packages, name), (name) => recordedValue(packages, name))) {
    book.problem({ file: unknownAt, message: p.message });
    requested.delete(p.setter);
  }
  const renderAll = requested.size === 0;

  packages.forEach((p, i) => {
    const mine = new Map([...requested].filter(([name]) => known[i].has(name)));
    if (p.v0) {
      const defs = new Map<SetterDef, string>();
      const givenAs = new Map<SetterDef, string>();
      for (const [name, value] of mine) {
        const def = resolveV0Setter(p.v0.setters, name);
        if (!def) continue;
        if (defs.has(def) && defs.get(def) !== value) {
          book.problem({
            file: p.v0.kptfile.path,
            line: def.line,
            message: `setter ${JSON.stringify(def.name)} is given twice, as ${JSON.stringify(givenAs.get(def))} and ${JSON.stringify(name)}, with different values`,
          });
        }
        defs.set(def, value);
        givenAs.set(def, name);
      }
      if (renderAll || defs.size > 0) applyV0(p.v0, defs, renderAll, book);
    } else {
      refsWithoutDefinitions(p.files, book);
    }
    applyLegacy(legacySlots(p.files), mine, book);
    applyV1(p.v1, mine, book);
  });

  if (book.problems.length > 0) {
    return { files, changed: [], changes: [], problems: book.problems, warnings: book.warnings };
  }
  const changed: string[] = [];
  const out = files.map((f) => {
    const edits = book.edits.get(f.path);
    if (!edits || edits.length === 0) return f;
    const content = applyEdits(f.content, edits);
    if (content === f.content) return f;
    changed.push(f.path);
    return { path: f.path, content };
  });
  const changes = [...book.changes].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { files: out, changed, changes, problems: [], warnings: book.warnings };
}
