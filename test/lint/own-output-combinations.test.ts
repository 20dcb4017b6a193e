import { ASM_PROFILES as PROFILES, type AsmProfile as Profile } from '../../src/catalog/profiles';
import { optionValues } from '../../src/config/mesh-options';
import { supportProblems } from '../../src/config/support-rules';
import { lintText } from '../../src/lint';
import { renderCluster } from '../../src/render/render-cluster';
import { GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER } from '../helpers/config';
import { specOf } from '../helpers/render';

/**
 * asmpkg's own output must pass its own lint: every option value a profile accepts
 * (the support rules refuse the rest), in every combination, renders manifests that
 * `asmpkg lint --profile P` reports nothing on (not even warnings).
 */

const BASE: Record<Profile, object> = { gke: GKE_CLUSTER, 'gke-istioctl': ISTIOCTL_CLUSTER, onprem: ONPREM_CLUSTER };

/** Values of a config field a profile accepts: the schema's, minus those the support rules refuse. */
function accepted(profile: Profile, group: 'mesh' | 'telemetry', name: string, values: readonly unknown[]): unknown[] {
  return values.filter((value) => supportProblems({ profile, [group]: { [name]: value, ...companions(name, value) } } as never, []).length === 0);
}

/** Fields a value requires: Jaeger tracing needs the collector's address. */
function companions(name: string, value: unknown): object {
  return name === 'tracing' && value === 'jaeger' ? { jaegerAddress: 'jaeger-collector.observability:9411' } : {};
}

function product<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);
}

/**
 * Every accepted combination of the mesh and telemetry options for a profile. The
 * outbound traffic policy (one mesh config field, no resources of its own) alternates
 * over the combinations rather than doubling them.
 */
function combinations(profile: Profile): { mesh: { [k: string]: unknown }; telemetry: { [k: string]: unknown } }[] {
  const mtls = accepted(profile, 'mesh', 'mtls', optionValues('mesh.mtls'));
  const egress = [false, true];
  const outbound = ['ALLOW_ANY', 'REGISTRY_ONLY'];
  const metrics = accepted(profile, 'telemetry', 'metrics', optionValues('telemetry.metrics'));
  const accessLog = accepted(profile, 'telemetry', 'accessLog', optionValues('telemetry.accessLog'));
  const tracing = accepted(profile, 'telemetry', 'tracing', optionValues('telemetry.tracing'));
  return product<unknown>([mtls, egress, metrics, accessLog, tracing]).map(([m, e, met, al, tr], i) => ({
    mesh: {
      mtls: m,
      egressGateway: e,
      outboundTrafficPolicy: outbound[i % outbound.length],
      // a namespace policy of the supported kind: JWT with an optional origin, peer mTLS
      namespacePolicies: [{ namespace: 'shop', mtls: m, origins: [{ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks' }], originIsOptional: true, principalBinding: 'USE_ORIGIN' }],
    },
    telemetry: { metrics: met, accessLog: al, tracing: tr, ...companions('tracing', tr) },
  }));
}

describe.each(PROFILES.map((p) => [p]))('%s: asmpkg lint passes what asmpkg renders', (profile) => {
  const cases = combinations(profile);

  test('the combinations cover every accepted value', () => {
    const seen = (f: (c: (typeof cases)[number]) => unknown) => new Set(cases.map(f));
    expect(seen((c) => c.telemetry.tracing)).toEqual(new Set(accepted(profile, 'telemetry', 'tracing', optionValues('telemetry.tracing'))));
    expect(seen((c) => c.telemetry.tracing).has('jaeger')).toBe(true);
    expect(seen((c) => c.telemetry.accessLog).has('stdout')).toBe(true);
    expect(seen((c) => c.mesh.mtls)).toEqual(new Set(['PERMISSIVE', 'STRICT']));
    expect(seen((c) => c.mesh.outboundTrafficPolicy)).toEqual(new Set(['ALLOW_ANY', 'REGISTRY_ONLY']));
    expect(seen((c) => JSON.stringify(c.telemetry)).size * 2 * 2).toBe(cases.length);
  });

  test('no findings, not even warnings, in any rendered file', () => {
    const findings: string[] = [];
    for (const c of cases) {
      const files = renderCluster(specOf({ ...BASE[profile], ...c }));
      for (const f of files.filter((x) => x.path.endsWith('.yaml'))) {
        const result = lintText(f.content, f.path, { profile });
        expect(result.errors).toEqual([]);
        for (const x of result.findings) findings.push(`${JSON.stringify(c.telemetry)} ${JSON.stringify(c.mesh).slice(0, 80)}: ${x.file} ${x.kind}/${x.name} ${x.rule} ${x.field}`);
      }
    }
    expect(findings).toEqual([]);
  });
});
