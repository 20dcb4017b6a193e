/**
 * Hardening (issue 8): properties of the config -> package function, checked with
 * fast-check over generated VALID configs (all three profiles, every optional field
 * present or not, fleets of 1-4 clusters) and single mutations that make them invalid.
 *
 * Runs are reproducible: the seed is fixed (FC_SEED, default 20200309) and the number of
 * runs is small by default (FC_RUNS, default 25). To search longer:
 *
 *   FC_RUNS=500 npx jest test/hardening
 *   FC_SEED=$RANDOM FC_RUNS=200 npx jest test/hardening/properties
 *
 * A failure prints the seed and the shrunk counterexample; rerun with that seed.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { parseConfig } from '../../src/config/load';
import { InputError, formatPath } from '../../src/config/problems';
import { resolveCluster } from '../../src/config/resolve';
import { renderCluster } from '../../src/render/render-cluster';
import { applyMutation, cluster, fleet, mutations, prng, shuffleKeys, type ClusterObject } from '../helpers/arbitraries';
import { run, tempDir, treeState } from '../helpers/cli';
import { leftoverStaging, stderrLines, STACK_LINE } from '../helpers/hardening';
import { kubernetes113, type K8sObject } from '../helpers/k8s-schema';

const SEED = Number(process.env.FC_SEED ?? 20200309);
const RUNS = Number(process.env.FC_RUNS ?? 25);
const params = (numRuns = RUNS): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

/** The config file text of a fleet, in a YAML style the property chooses. */
function configYaml(clusters: readonly object[], style: 'any' | 'block' | 'flow' = 'any', extra: object = {}): string {
  return stringify({ ...extra, clusters }, { collectionStyle: style });
}

/** Every file of every cluster of a config: `cluster/path` -> content. */
function renderConfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const input of parseConfig(text, 'prop.yaml').clusters) {
    for (const f of renderCluster(resolveCluster(input))) out.set(`${input.name}/${f.path}`, f.content);
  }
  return out;
}

/** A readable diff of two renders: the first differing file and line. */
function firstDifference(a: Map<string, string>, b: Map<string, string>): string | undefined {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const k of keys) {
    const x = a.get(k);
    const y = b.get(k);
    if (x === y) continue;
    if (x === undefined || y === undefined) return `${k}: only in ${x === undefined ? 'second' : 'first'}`;
    const xl = x.split('\n');
    const yl = y.split('\n');
    const i = xl.findIndex((l, n) => l !== yl[n]);
    return `${k}:${i + 1}: ${JSON.stringify(xl[i])} vs ${JSON.stringify(yl[i])}`;
  }
  return undefined;
}

describe('valid configs', () => {
  test('the arbitrary covers every profile and the optional fields (sanity of the generator)', () => {
    const sample = fc.sample(fleet, { seed: SEED, numRuns: 200 }).flat();
    const profiles = new Set(sample.map((c) => c.profile));
    expect([...profiles].sort()).toEqual(['gke', 'gke-istioctl', 'onprem']);
    for (const key of ['mesh', 'telemetry', 'release', 'kcc', 'network', 'certificates', 'trustDomain', 'ingress']) {
      expect([key, sample.some((c) => key in c)]).toEqual([key, true]);
      expect([key, sample.some((c) => !(key in c))]).toEqual([key, true]);
    }
  });

  test('(a) render without error, deterministically (same bytes twice)', () => {
    fc.assert(
      fc.property(fleet, (clusters) => {
        const text = configYaml(clusters);
        const first = renderConfig(text);
        const second = renderConfig(text);
        expect(first.size).toBeGreaterThan(clusters.length * 5);
        expect(firstDifference(first, second)).toBeUndefined();
      }),
      params(),
    );
  });

  test('(b) the output does not depend on key order or YAML style of the config file', () => {
    fc.assert(
      fc.property(fleet, fc.integer(), fc.constantFrom('any' as const, 'block' as const, 'flow' as const), (clusters, seed, style) => {
        const shuffled = shuffleKeys(clusters, prng(seed)) as object[];
        const a = renderConfig(configYaml(clusters));
        const b = renderConfig(configYaml(shuffled, style));
        expect(firstDifference(a, b)).toBeUndefined();
      }),
      params(),
    );
  });

  test('(c) every in-cluster resource passes the Kubernetes 1.13 schema; Istio resources are of kinds the package defines', () => {
    const schema = kubernetes113();
    fc.assert(
      fc.property(fleet, (clusters) => {
        const problems: string[] = [];
        for (const [file, content] of renderConfig(configYaml(clusters))) {
          if (!/^[^/]+\/(crds|in-cluster|bootstrap)\/.*\.yaml$/.test(file)) continue;
          const objects = parseAllDocuments(content).map((d) => d.toJS() as K8sObject | null).filter((o): o is K8sObject => o !== null);
          for (const obj of objects) {
            if (/\.istio\.io\//.test(obj.apiVersion)) continue; // custom resources: see the next property
            problems.push(...schema.validate(obj).map((p) => `${file}: ${p}`));
          }
        }
        expect(problems).toEqual([]);
      }),
      params(),
    );
  });

  test('(c) Istio custom resources are of kinds the rendered CRDs define', () => {
    fc.assert(
      fc.property(fleet, (clusters) => {
        const rendered = renderConfig(configYaml(clusters));
        for (const c of clusters) {
          const objects = [...rendered]
            .filter(([file]) => file.startsWith(`${c.name}/`) && /\/(crds|in-cluster|bootstrap)\//.test(file))
            .flatMap(([, content]) => parseAllDocuments(content).map((d) => d.toJS() as any))
            .filter(Boolean);
          const defined = new Set(
            objects
              .filter((o) => o.kind === 'CustomResourceDefinition')
              .flatMap((o) => [o.spec.version, ...(o.spec.versions ?? []).map((v: { name: string }) => v.name)].filter(Boolean).map((v: string) => `${o.spec.group}/${v} ${o.spec.names.kind}`)),
          );
          const orphans = objects.filter((o) => /\.istio\.io\//.test(o.apiVersion) && !defined.has(`${o.apiVersion} ${o.kind}`)).map((o) => `${c.name}: ${o.apiVersion} ${o.kind}/${o.metadata?.name}`);
          expect(orphans).toEqual([]);
        }
      }),
      params(),
    );
  });

  test('defaults: profile-neutral fields given once in defaults render as if written in every cluster', () => {
    const shared = fc.record(
      { release: fc.constant('1.4.6-asm.0'), mesh: fc.record({ outboundTrafficPolicy: fc.constantFrom('ALLOW_ANY', 'REGISTRY_ONLY'), egressGateway: fc.boolean() }, { requiredKeys: [] }) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fleet, shared, (clusters, defaults) => {
        // What the README says defaults mean: merged key by key, the cluster's own values win.
        const inlined = clusters.map((c) => ({
          ...defaults,
          ...c,
          ...(defaults.mesh || c.mesh ? { mesh: { ...defaults.mesh, ...(c.mesh as object | undefined) } } : {}),
        }));
        expect(firstDifference(renderConfig(configYaml(clusters, 'any', { defaults })), renderConfig(configYaml(inlined)))).toBeUndefined();
      }),
      params(),
    );
  });

  // BUG (fails until fixed): `defaults` is validated with a shallow partial of the cluster
  // schema (src/config/load.ts defaultsSchema), so a nested block in defaults must be
  // complete: `defaults: { nodePool: { machineType: e2-standard-4 } }` is refused with
  // "defaults.nodePool.nodeCount: is required" although mergeDefaults merges mappings key
  // by key and every cluster gives its own nodeCount.
  test('defaults: a nested field (nodePool.machineType) given once in defaults renders as if written in every cluster', () => {
    const gkeFleet = fc.uniqueArray(fc.oneof(cluster('gke'), cluster('gke-istioctl')), { minLength: 1, maxLength: 3, selector: (c) => c.name });
    fc.assert(
      fc.property(gkeFleet, fc.constantFrom('n1-standard-4', 'e2-standard-8'), (clusters, machineType) => {
        const same = clusters.map((c) => ({ ...c, nodePool: { ...(c.nodePool as object), machineType } }));
        const hoisted = same.map((c) => {
          const { machineType: _m, ...pool } = c.nodePool as Record<string, unknown>;
          return { ...c, nodePool: pool };
        });
        const viaDefaults = renderConfig(configYaml(hoisted, 'any', { defaults: { nodePool: { machineType } } }));
        expect(firstDifference(viaDefaults, renderConfig(configYaml(same)))).toBeUndefined();
      }),
      params(Math.min(RUNS, 10)),
    );
  });
});

/** A valid fleet, one of its clusters, and a mutation that breaks that cluster. */
const mutatedFleet = fleet.chain((clusters) =>
  fc.integer({ min: 0, max: clusters.length - 1 }).chain((i) => fc.constantFrom(...mutations(clusters[i].profile)).map((m) => ({ clusters, i, m }))),
);

function mutate(clusters: readonly ClusterObject[], i: number, m: ReturnType<typeof mutations>[number]): ClusterObject[] {
  return clusters.map((c, n) => (n === i ? applyMutation(c, m) : c));
}

describe('invalid configs', () => {
  test('(d) any single mutation of a valid config is refused with InputError naming the field', () => {
    fc.assert(
      fc.property(mutatedFleet, ({ clusters, i, m }) => {
        const text = configYaml(mutate(clusters, i, m));
        let error: unknown;
        try {
          parseConfig(text, 'prop.yaml');
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(InputError);
        const e = error as InputError;
        expect(e.exitCode).toBe(2);
        const where = formatPath(['clusters', i, ...m.field.split('.')]);
        expect(e.problems.map((p) => formatPath(p.path))).toContain(where);
        // Every problem is one line, starting with the file and a field path.
        for (const line of e.message.split('\n')) expect(line).toMatch(/^prop\.yaml: (clusters\[\d+\]|defaults)/);
      }),
      params(RUNS * 2),
    );
  });

  test('(d) through the CLI: exit 2, one line per problem, OUT (a render of the valid config) untouched', async () => {
    // Each run renders the valid fleet, then the mutated one: a few runs only (~100 ms+ each).
    const ecdsa = (cs: ClusterObject[]) => cs.map((c) => (c.profile === 'onprem' ? { ...c, certificates: { algorithm: 'ecdsa-p256' } } : c));
    await fc.assert(
      fc.asyncProperty(mutatedFleet, async ({ clusters, i, m }) => {
        const dir = tempDir('asmpkg-prop-');
        const valid = ecdsa(clusters);
        writeFileSync(path.join(dir, 'c.yaml'), configYaml(valid));
        const good = await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q'], dir);
        expect([good.code, good.stderr]).toEqual([0, '']);
        const before = treeState(path.join(dir, 'out'));

        writeFileSync(path.join(dir, 'c.yaml'), configYaml(mutate(valid, i, m)));
        const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], dir);
        expect({ exit: r.code, stderr: r.stderr }).toMatchObject({ exit: 2 });
        const lines = stderrLines(r);
        expect(lines.length).toBeGreaterThanOrEqual(1);
        for (const line of lines) expect(line).toMatch(/^asmpkg: c\.yaml: \S/);
        expect(lines.filter((l) => STACK_LINE.test(l))).toEqual([]);
        expect(lines.some((l) => l.startsWith(`asmpkg: c.yaml: ${formatPath(['clusters', i, ...m.field.split('.')])}`))).toBe(true);
        expect(treeState(path.join(dir, 'out'))).toEqual(before);
        expect(leftoverStaging(dir)).toEqual([]);
      }),
      params(Math.min(RUNS, 4)),
    );
  });
});
