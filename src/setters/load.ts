import { EditBook } from './edits';
import { readKptfile } from './kptfile';
import { groupPackages, joinPath, KptPackage } from './packages';
import { parseSource, SourceFile } from './source';
import { PackageFile } from './types';
import { V0Package } from './v0';
import { configFromFile, V1Config, V1Package } from './v1';

/** A package read into the shape each setter format works on. */
export interface LoadedPackage {
  readonly pkg: KptPackage;
  readonly v0?: V0Package;
  readonly v1: V1Package;
  readonly files: readonly SourceFile[];
}

export function loadPackages(files: readonly PackageFile[], book: EditBook): LoadedPackage[] {
  const parsed = new Map<string, SourceFile | null>();
  const parse = (f: PackageFile): SourceFile | undefined => {
    if (!parsed.has(f.path)) {
      const { file, problems } = parseSource(f.path, f.content);
      problems.forEach((p) => book.problem(p));
      parsed.set(f.path, file ?? null);
    }
    return parsed.get(f.path) ?? undefined;
  };
  const out: LoadedPackage[] = [];
  for (const pkg of groupPackages(files)) {
    const sources = pkg.files.map(parse).filter((f): f is SourceFile => !!f);
    const kptfile = pkg.kptfile ? parse(pkg.kptfile) : undefined;
    const resources = sources.filter((f) => f !== kptfile);
    let v0: V0Package | undefined;
    const configs: V1Config[] = [];
    if (kptfile) {
      const { model, problems } = readKptfile(kptfile);
      problems.forEach((p) => book.problem(p));
      if (model.version === 'v0') v0 = { kptfile, setters: model.setters, substitutions: model.substitutions, resources };
      if (model.version === 'v1') {
        for (const ref of model.applySetters) {
          if (ref.inline) configs.push({ file: kptfile, data: ref.inline, owner: ref.inline });
          if (!ref.configPath) continue;
          const path = joinPath(pkg.dir, ref.configPath);
          const input = files.find((f) => f.path === path);
          const source = input ? parse(input) : undefined;
          const config = source ? configFromFile(source) : undefined;
          if (config) configs.push(config);
          else if (!input) {
            book.problem({ file: kptfile.path, line: ref.line, message: `apply-setters configPath ${JSON.stringify(ref.configPath)} does not exist` });
          } else if (source) {
            book.problem({ file: path, message: 'apply-setters config must be a ConfigMap' });
          }
        }
      }
    }
    out.push({ pkg, v0, v1: { files: sources, configs }, files: sources });
  }
  return out;
}

