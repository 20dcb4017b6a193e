/**
 * Hardening (issue 8): hostile and mistaken input. Every config of the corpus in
 * test/fixtures/bad-configs/ (listed in its index.yaml) is refused through the CLI with
 * exit 2, one line per problem naming the file, field path, value and rule, no stack
 * trace, and the output directory -- which already holds a good render -- untouched,
 * with no staging directories left beside it. Then the file-system edge cases: a
 * missing config, a config that is a directory, an output path that is a file, and a
 * cluster directory in OUT that is a symlink pointing outside OUT.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse, parseDocument } from 'yaml';
import { configText, GKE_CLUSTER, ONPREM_CLUSTER } from '../helpers/config';
import { run, tempDir, treeState, type RunResult } from '../helpers/cli';
import { bigConfigText, leftoverStaging, stderrLines, STACK_LINE } from '../helpers/hardening';

const CORPUS = path.join(__dirname, '..', 'fixtures', 'bad-configs');

interface BadCase {
  readonly file: string;
  readonly exit: number;
  readonly lines?: number;
  readonly expect: readonly string[];
  readonly generated?: boolean;
  readonly bug?: string;
  readonly absent?: readonly string[];
  /** What the JSON Schema says of the file: `refused`, `cannot: why`, `no document: why`. */
  readonly schema: string;
}

const CASES: readonly BadCase[] = (parse(readFileSync(path.join(CORPUS, 'index.yaml'), 'utf8')) as { cases: BadCase[] }).cases;

/** A good fleet (GKE + on-prem with its generated CA), rendered once and copied into each workspace. */
const GOOD = configText(GKE_CLUSTER, ONPREM_CLUSTER);
let goodOut: string;

beforeAll(async () => {
  const dir = tempDir('asmpkg-hardening-good-');
  writeFileSync(path.join(dir, 'asmpkg.yaml'), GOOD);
  const r = await run(['synth', '-c', 'asmpkg.yaml', '-o', 'out'], dir);
  expect([r.code, r.stderr]).toEqual([0, '']);
  goodOut = path.join(dir, 'out');
});

/** A workspace whose `out/` holds the good render. */
function workspace(): { dir: string; out: string } {
  const dir = tempDir('asmpkg-hardening-');
  const out = path.join(dir, 'out');
  cpSync(goodOut, out, { recursive: true });
  return { dir, out };
}

/** Exit code, stderr lines and nothing else: the shape of every refusal. */
function expectRefusal(r: RunResult, lines: number | undefined): string[] {
  const got = stderrLines(r);
  expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: expect.any(String) });
  expect(got.filter((l) => STACK_LINE.test(l))).toEqual([]);
  expect(got.filter((l) => /internal error/.test(l))).toEqual([]);
  if (lines === undefined) expect(got.length).toBeGreaterThanOrEqual(1);
  else expect(got).toHaveLength(lines);
  return got;
}

describe('the bad-config corpus', () => {
  test('index.yaml lists every file of the corpus, and only existing ones', () => {
    const files = readdirSync(CORPUS).filter((f) => f !== 'index.yaml').sort();
    const listed = CASES.filter((c) => !c.generated).map((c) => c.file).sort();
    expect(listed).toEqual(files);
    expect(new Set(CASES.map((c) => c.file)).size).toBe(CASES.length);
    for (const c of CASES) {
      expect([c.file, c.exit, Array.isArray(c.expect) && c.expect.length > 0]).toEqual([c.file, 2, true]);
      // Each case names the file it is about, so a fragment cannot match another case's message.
      expect([c.file, c.expect.every((f) => f.startsWith(`${c.file}: `) || !f.includes('.yaml: '))]).toEqual([c.file, true]);
    }
  });

  test.each(CASES.map((c) => [c.bug ? `${c.file} (bug: fails until fixed)` : c.file, c] as const))('%s is refused; OUT untouched', async (_name, c) => {
    const w = workspace();
    const before = treeState(w.out);
    const config = path.join(w.dir, c.file);
    if (c.generated) writeFileSync(config, bigConfigText(2 * 1024 * 1024));
    else cpSync(path.join(CORPUS, c.file), config);

    const started = Date.now();
    const r = await run(['synth', '--config', c.file, '--out', 'out'], w.dir);
    expect(Date.now() - started).toBeLessThan(10_000); // alias bombs and big files are cut short

    expect({ exit: r.code, stderr: r.stderr }).toMatchObject({ exit: c.exit });
    const lines = expectRefusal(r, c.lines);
    // One problem per line, each naming the config file as given.
    for (const line of lines) expect(line.startsWith(`asmpkg: ${c.file}: `)).toBe(true);
    for (const fragment of c.expect) expect(lines).toContainEqual(expect.stringContaining(fragment));
    for (const fragment of c.absent ?? []) expect([fragment, r.stdout.includes(fragment) || r.stderr.includes(fragment)]).toEqual([fragment, false]);

    expect(treeState(w.out)).toEqual(before);
    expect(leftoverStaging(w.dir)).toEqual([]);

    // The JSON Schema editors use refuses what the CLI refuses, wherever JSON Schema can say the rule.
    expect([c.file, schemaVerdict(readFileSync(config, 'utf8'))]).toEqual([c.file, schemaKind(c.schema)]);
  });
});

const validateSchema = (() => {
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'schema', 'asmpkg.schema.json'), 'utf8')));
})();

/** What the JSON Schema makes of a config text: no document to check, refused, or accepted. */
function schemaVerdict(text: string): 'no document' | 'refused' | 'cannot' {
  let doc: unknown;
  try {
    // what an editor's YAML language server hands the schema: one document, parsed leniently
    const parsed = parseDocument(text, { uniqueKeys: true });
    if (parsed.errors.length > 0 || Buffer.byteLength(text) > 1024 * 1024) return 'no document';
    doc = parsed.toJS({ maxAliasCount: 100 });
  } catch {
    return 'no document';
  }
  // accepted: right only for a rule JSON Schema cannot express
  return validateSchema(doc) ? 'cannot' : 'refused';
}

function schemaKind(mark: string): string {
  if (mark === 'refused') return 'refused';
  const kind = /^(cannot|no document): \S/.exec(mark)?.[1];
  if (!kind) throw new Error(`schema mark must be "refused", "cannot: <why>" or "no document: <why>", not ${JSON.stringify(mark)}`);
  return kind;
}

describe('every problem in one run', () => {
  test('three problems in three fields of two clusters give three lines, in file order', async () => {
    const w = workspace();
    const before = treeState(w.out);
    cpSync(path.join(CORPUS, 'three-errors.yaml'), path.join(w.dir, 'c.yaml'));
    const r = await run(['synth', '--config', 'c.yaml', '--out', 'out'], w.dir);
    const lines = expectRefusal(r, 3);
    expect(lines.map((l) => /^asmpkg: c\.yaml: (\S+?)(?: = |: )/.exec(l)?.[1])).toEqual([
      'clusters[0].nodePool.machineType',
      'clusters[0].nodePool.nodeCount',
      'clusters[1].version',
    ]);
    expect(treeState(w.out)).toEqual(before);
  });

  test('problems of every cluster of a larger fleet are all reported (one per cluster)', async () => {
    const w = workspace();
    const before = treeState(w.out);
    const clusters = Array.from({ length: 6 }, (_, i) => ({ ...GKE_CLUSTER, name: `c${i}`, nodePool: { machineType: 'e2-standard-4', nodeCount: i % 4 } }));
    writeFileSync(path.join(w.dir, 'c.yaml'), configText(...clusters));
    const lines = expectRefusal(await run(['synth', '--config', 'c.yaml', '--out', 'out'], w.dir), 6);
    lines.forEach((l, i) => expect(l).toContain(`c.yaml: clusters[${i}].nodePool.nodeCount = ${i % 4}: must be at least 4`));
    expect(treeState(w.out)).toEqual(before);
  });
});

describe('paths that are not what they should be', () => {
  test('a missing config file', async () => {
    const w = workspace();
    const before = treeState(w.out);
    const lines = expectRefusal(await run(['synth', '--config', 'nope.yaml', '--out', 'out'], w.dir), 1);
    expect(lines[0]).toBe('asmpkg: nope.yaml: config file not found');
    expect(treeState(w.out)).toEqual(before);
    expect(leftoverStaging(w.dir)).toEqual([]);
  });

  test('a config path that is a directory', async () => {
    const w = workspace();
    mkdirSync(path.join(w.dir, 'cfg.yaml'));
    const before = treeState(w.out);
    const lines = expectRefusal(await run(['synth', '--config', 'cfg.yaml', '--out', 'out'], w.dir), 1);
    expect(lines[0]).toBe('asmpkg: cfg.yaml: is a directory, not a regular file; asmpkg reads only regular files (give a YAML config file)');
    expect(treeState(w.out)).toEqual(before);
    expect(leftoverStaging(w.dir)).toEqual([]);
  });

  test('an output path that is a file', async () => {
    const dir = tempDir('asmpkg-hardening-');
    writeFileSync(path.join(dir, 'c.yaml'), configText(GKE_CLUSTER));
    writeFileSync(path.join(dir, 'out'), 'not a directory\n');
    const lines = expectRefusal(await run(['synth', '--config', 'c.yaml', '--out', 'out'], dir), 1);
    expect(lines[0]).toMatch(/^asmpkg: --out \S*out: exists and is not a directory$/);
    expect(readFileSync(path.join(dir, 'out'), 'utf8')).toBe('not a directory\n');
    expect(readdirSync(dir).sort()).toEqual(['c.yaml', 'out']);
  });

  test('an output path below a file', async () => {
    const dir = tempDir('asmpkg-hardening-');
    writeFileSync(path.join(dir, 'c.yaml'), configText(GKE_CLUSTER));
    writeFileSync(path.join(dir, 'file'), 'x');
    const lines = expectRefusal(await run(['synth', '--config', 'c.yaml', '--out', 'file/out'], dir), 1);
    expect(lines[0]).toMatch(/^asmpkg: --out \S*file\/out: (not writable|exists and is not a directory)/);
    expect(readdirSync(dir).sort()).toEqual(['c.yaml', 'file']);
  });
});

describe('a cluster directory in OUT that is a symlink pointing outside OUT', () => {
  /** Replaces OUT/<name> with a symlink to `target`, which gets `setup`'s content. */
  function symlinkCluster(out: string, name: string, target: string, setup: (target: string) => void): void {
    setup(target);
    renameSync(path.join(out, name), path.join(path.dirname(target), `${name}.rendered`));
    symlinkSync(target, path.join(out, name), 'dir');
  }

  test('is replaced by a real directory; the target is untouched', async () => {
    const w = workspace();
    const rendered = treeState(w.out);
    const target = path.join(w.dir, 'elsewhere', 'precious');
    symlinkCluster(w.out, 'asm-gke', target, (t) => {
      mkdirSync(t, { recursive: true });
      writeFileSync(path.join(t, 'keep.txt'), 'not asmpkg output\n');
      mkdirSync(path.join(t, 'in-cluster'));
      writeFileSync(path.join(t, 'in-cluster', '00-namespace.yaml'), 'mine\n');
    });
    const targetBefore = treeState(target);
    writeFileSync(path.join(w.dir, 'c.yaml'), GOOD);

    // The index records the injector's and galley's key material, which the symlink's target lacks:
    // refused, naming the cluster, until new sets are asked for for that cluster alone.
    const refused = await run(['synth', '--config', 'c.yaml', '--out', 'out'], w.dir);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/^asmpkg: \S+\/out\/asm-gke\/secrets\/: galley\/cert-chain\.pem, .* are missing; .*--regenerate-ca asm-gke /)]);
    expect(treeState(target)).toEqual(targetBefore);
    const r = await run(['synth', '--config', 'c.yaml', '--out', 'out', '--regenerate-ca', 'asm-gke'], w.dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^asmpkg: asm-gke: new sidecar injector certificate and galley certificate in out\/asm-gke\/secrets\/; apply it/);
    const st = lstatSync(path.join(w.out, 'asm-gke'));
    expect([st.isSymbolicLink(), st.isDirectory()]).toEqual([false, true]);
    expect(treeState(target)).toEqual(targetBefore);
    // The package is back, exactly as first rendered, but for the GKE injector's and galley's key
    // material: it was in the directory the symlink replaced, so new sets are generated (and indexed).
    const fresh = /^asm-gke\/secrets\/(sidecar-injector|galley)(\/|-certs\.yaml)|^index\.yaml$/;
    const without = (state: Record<string, string>) => Object.fromEntries(Object.entries(state).filter(([f]) => !fresh.test(f)));
    const after = treeState(w.out);
    expect(without(after)).toEqual(without(rendered));
    expect(Object.keys(after).filter((f) => fresh.test(f))).toEqual(Object.keys(rendered).filter((f) => fresh.test(f)));
    expect(leftoverStaging(w.dir)).toEqual([]);
  });

  test('an on-prem cluster: the CA behind the symlink is read, never written or removed', async () => {
    const w = workspace();
    const rendered = treeState(w.out);
    const target = path.join(w.dir, 'elsewhere', 'onprem');
    // The target holds a copy of the package, CA included; a config change forces a render.
    symlinkCluster(w.out, 'asm-onprem', target, (t) => cpSync(path.join(w.out, 'asm-onprem'), t, { recursive: true }));
    const targetBefore = treeState(target);
    writeFileSync(path.join(w.dir, 'c.yaml'), GOOD + '# changed\n');

    const r = await run(['synth', '--config', 'c.yaml', '--out', 'out'], w.dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(lstatSync(path.join(w.out, 'asm-onprem')).isSymbolicLink()).toBe(false);
    expect(treeState(target)).toEqual(targetBefore);
    const after = treeState(w.out);
    for (const [file, state] of Object.entries(rendered)) {
      if (file.startsWith('asm-onprem/')) expect([file, after[file]]).toEqual([file, state]);
    }
    expect(existsSync(path.join(target, 'secrets', 'ca-key.pem'))).toBe(true);
    expect(leftoverStaging(w.dir)).toEqual([]);
  });
});
