import { impliedRegion, SETTER_RULES, setterStateProblems } from '../config/setter-rules';
import { ASM_SETTERS } from '../packages/asm-setters';
import { EditBook } from './edits';
import { setterValuesFromEnv } from './env';
import { SetterDef } from './kptfile';
import { applyLegacy, legacySetterNames, legacySlots } from './legacy';
import { LoadedPackage, loadPackages } from './load';
import { applyEdits, lineOf } from './source';
import { unknownSetterMessage } from './suggest';
import { PackageFile, SetOptions, SetOutcome } from './types';
import { applyV0, refsWithoutDefinitions, resolveV0Setter, v0SetterNames } from './v0';
import { applyV1, configEntries, patternSlots, v1SetterNames } from './v1';
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

/** The ASM setter (a key of SETTER_RULES) that `name` sets in a package, if any. */
function asmName(p: LoadedPackage, name: string): string | undefined {
  const def = p.v0 ? resolveV0Setter(p.v0.setters, name) : undefined;
  if (def) return [def.name, def.id].find((n) => n in SETTER_RULES);
  return name in SETTER_RULES ? name : undefined;
}

/** A setter value of a package's state: given now, or recorded (Kptfile, setters.yaml, inline comment). */
interface StateEntry {
  readonly value: string;
  /** The name it was given or recorded under. */
  readonly name: string;
  readonly given: boolean;
  readonly file?: string;
  readonly line?: number;
}

/** What the package records for each setter, with where. */
function recordedEntries(p: LoadedPackage): { name: string; value: string; file?: string; line?: number }[] {
  const out: { name: string; value: string; file?: string; line?: number }[] = [];
  for (const def of p.v0?.setters ?? []) if (def.value !== undefined) out.push({ name: def.name, value: def.value, file: p.v0!.kptfile.path, line: def.line });
  for (const [name, e] of configEntries(p.v1)) out.push({ name, ...e });
  for (const slot of legacySlots(p.files)) {
    for (const s of [slot.meta.setter, ...slot.meta.partialSetters]) {
      if (s?.value !== undefined) out.push({ name: s.name, value: s.value, file: slot.file.path, line: lineOf(slot.file, slot.slot.node.range![0]) });
    }
  }
  return out;
}

/** A placeholder the package was generated with, still unset: no value to check yet. */
function isPlaceholder(setter: string, value: string): boolean {
  return ASM_SETTERS.some((s) => s.name === setter && s.value === value);
}

/**
 * The whole setter state of each package after the change -- the values given now over
 * the values it records, hand edits included -- checked with the config's rules
 * (`config/setter-rules.ts`). Problems name the setter, value and rule, and where a
 * recorded value is written. Returns the names of given values that were refused.
 */
function checkSetterStates(packages: readonly LoadedPackage[], requested: ReadonlyMap<string, string>, known: readonly Set<string>[], book: EditBook, givenAt: string | undefined): Set<string> {
  const refused = new Set<string>();
  const reported = new Set<string>();
  packages.forEach((p, i) => {
    const state = new Map<string, StateEntry>();
    for (const r of recordedEntries(p)) {
      const asm = asmName(p, r.name);
      if (asm) state.set(asm, { ...r, given: false });
    }
    for (const [name, value] of requested) {
      const asm = known[i].has(name) ? asmName(p, name) : undefined;
      if (asm) state.set(asm, { name, value, given: true });
    }
    const values = new Map([...state].map(([asm, e]) => [asm, e.value]));
    for (const found of setterStateProblems(values, (asm, value) => !state.get(asm)!.given && isPlaceholder(asm, value))) {
      // a clash between a recorded value and one given now is the given one's
      const other = found.other ? state.get(found.other.setter) : undefined;
      const problem = !state.get(found.setter)!.given && other?.given ? { ...found.other!, recorded: found } : { ...found, recorded: undefined };
      const e = state.get(problem.setter)!;
      const why = problem.recorded ? ` (the package records ${state.get(problem.recorded.setter)!.name} = ${JSON.stringify(problem.recorded.value)}; set it too)` : '';
      const message = `setter ${JSON.stringify(e.name)} = ${JSON.stringify(e.value)}: ${problem.message}${why}${e.given ? '' : ' (the value the package records; set it or correct it)'}`;
      const key = `${e.given ? '' : `${e.file}:${e.line}`}|${message}`;
      if (reported.has(key)) continue;
      reported.add(key);
      book.problem(e.given ? { file: givenAt, message } : { file: e.file, line: e.line, message });
      if (e.given) refused.add(e.name);
    }
  });
  return refused;
}

/**
 * A zone given without a region sets the region too (the subnetwork link is regional):
 * `gcloud.compute.zone=europe-west1-b` alone moves `gcloud.compute.region` to europe-west1.
 */
function deriveRegion(packages: readonly LoadedPackage[], requested: Map<string, string>): void {
  const names = (asm: string) => [...requested.keys()].filter((n) => packages.some((p) => asmName(p, n) === asm));
  const [zone] = names('gcloud.compute.zone');
  if (zone === undefined || names('gcloud.compute.region').length > 0) return;
  const region = impliedRegion(requested.get(zone)!);
  const regionSetter = packages.flatMap((p) => (p.v0 ? p.v0.setters.filter((d) => d.id === 'gcloud.compute.region' || d.name === 'gcloud.compute.region').map((d) => d.name) : []))[0];
  const name = regionSetter ?? (packages.some((p) => knownNames(p).has('gcloud.compute.region')) ? 'gcloud.compute.region' : undefined);
  if (region !== undefined && name !== undefined) requested.set(name, region);
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
  // a zone alone sets its region too; then the whole resulting state is held to the config's rules
  deriveRegion(packages, requested);
  for (const name of checkSetterStates(packages, requested, known, book, unknownAt)) requested.delete(name);
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
