import { z } from 'zod';
import { MATRIX_PROFILES, SUPPORT_MATRIX } from '../../src/catalog/support-matrix';
import { meshOptionFields, normalizeNamespacePolicy, optionValues } from '../../src/config/mesh-options';
import { formatProblem, Problem } from '../../src/config/problems';
import { meshMtlsDefault, supportProblems, SupportCheckInput, telemetryDefaults } from '../../src/config/support-rules';
import { parseConfig } from '../../src/config/load';

const AT = ['clusters', 0];
const lines = (problems: Problem[]) => problems.map((p) => formatProblem(p));
const check = (c: SupportCheckInput) => lines(supportProblems(c, AT));

describe('supportProblems: one refusal per unsupported option', () => {
  test.each<[string, SupportCheckInput, string]>([
    [
      'mesh.mtls AUTO (auto-mTLS)',
      { profile: 'gke', mesh: { mtls: 'AUTO' } },
      'clusters[0].mesh.mtls: "AUTO" is not supported by ASM 1.4 (feature security.auto-mtls: ASM 1.4 does not support auto-mTLS; choose PERMISSIVE or STRICT)',
    ],
    [
      'namespace policy mtls AUTO',
      { profile: 'onprem', mesh: { namespacePolicies: [{ namespace: 'shop', mtls: 'AUTO' }] } },
      'clusters[0].mesh.namespacePolicies[0].mtls: "AUTO" is not supported by ASM 1.4 (feature security.auto-mtls: ASM 1.4 does not support auto-mTLS; choose PERMISSIVE or STRICT)',
    ],
    [
      'namespace policy with targets',
      { profile: 'gke', mesh: { namespacePolicies: [{ namespace: 'shop', targets: [{ name: 'cart' }] }] } },
      'clusters[0].mesh.namespacePolicies[0].targets: service-level policy (targets) is not supported by ASM 1.4 (feature security.service-policy: ASM 1.4 supports only mesh-level and namespace-level authentication policy)',
    ],
    [
      'JWT without originIsOptional/principalBinding',
      { profile: 'gke', mesh: { namespacePolicies: [{ namespace: 'shop', origins: [{ issuer: 'https://issuer' }] }] } },
      'clusters[0].mesh.namespacePolicies[0].origins: JWT origins with originIsOptional: unset, principalBinding: unset (USE_PEER) are not supported by ASM 1.4 (feature security.jwt-enforced: ASM 1.4 supports JWT only with originIsOptional: true and principalBinding: USE_ORIGIN)',
    ],
    [
      'JWT with originIsOptional false',
      { profile: 'gke', mesh: { namespacePolicies: [{ namespace: 'shop', origins: [{ issuer: 'i' }], originIsOptional: false, principalBinding: 'USE_ORIGIN' }] } },
      'clusters[0].mesh.namespacePolicies[0].origins: JWT origins with originIsOptional: false, principalBinding: USE_ORIGIN are not supported by ASM 1.4 (feature security.jwt-enforced: ASM 1.4 supports JWT only with originIsOptional: true and principalBinding: USE_ORIGIN)',
    ],
    [
      'JWT with principal_binding USE_PEER (proto spelling)',
      { profile: 'gke', mesh: { namespacePolicies: [{ namespace: 'shop', origins: [{ issuer: 'i' }], origin_is_optional: true, principal_binding: 'USE_PEER' }] } },
      'clusters[0].mesh.namespacePolicies[0].origins: JWT origins with originIsOptional: true, principalBinding: USE_PEER are not supported by ASM 1.4 (feature security.jwt-enforced: ASM 1.4 supports JWT only with originIsOptional: true and principalBinding: USE_ORIGIN)',
    ],
    [
      'Stackdriver metrics on-prem',
      { profile: 'onprem', telemetry: { metrics: 'stackdriver' } },
      'clusters[0].telemetry.metrics: "stackdriver" is not supported by ASM 1.4 on profile onprem (feature observability.metrics-stackdriver: Stackdriver metrics, logging and tracing are not available on GKE on-prem; only Prometheus/Grafana are)',
    ],
    [
      'Stackdriver access logs on-prem',
      { profile: 'onprem', telemetry: { accessLog: 'stackdriver' } },
      'clusters[0].telemetry.accessLog: "stackdriver" is not supported by ASM 1.4 on profile onprem (feature observability.access-log-stackdriver: Stackdriver metrics, logging and tracing are not available on GKE on-prem; only Prometheus/Grafana are)',
    ],
    [
      'Stackdriver tracing on-prem',
      { profile: 'onprem', telemetry: { tracing: 'stackdriver' } },
      'clusters[0].telemetry.tracing: "stackdriver" is not supported by ASM 1.4 on profile onprem (feature observability.tracing-stackdriver: Stackdriver metrics, logging and tracing are not available on GKE on-prem; only Prometheus/Grafana are)',
    ],
    [
      'Zipkin tracing',
      { profile: 'gke', telemetry: { tracing: 'zipkin' } },
      'clusters[0].telemetry.tracing: "zipkin" is not supported by ASM 1.4 (feature observability.zipkin: ASM 1.4 does not support Zipkin tracing; use Stackdriver (GKE) or Jaeger)',
    ],
    [
      'Kiali',
      { profile: 'gke-istioctl', telemetry: { kiali: true } },
      'clusters[0].telemetry.kiali: true (Kiali) is not supported by ASM 1.4 (feature observability.kiali: ASM 1.4 does not support Kiali)',
    ],
    [
      'Istio CNI',
      { profile: 'gke', cni: true },
      'clusters[0].cni: true (Istio CNI plugin) is not supported by ASM 1.4 (feature traffic.istio-cni: ASM 1.4 intercepts traffic only with the iptables init container)',
    ],
  ])('%s', (_name, input, expected) => {
    expect(check(input)).toEqual([expected]);
  });

  test('zipkin and kiali are refused on every profile', () => {
    for (const profile of MATRIX_PROFILES) {
      expect(check({ profile, telemetry: { tracing: 'zipkin', kiali: true } })).toHaveLength(2);
    }
  });

  test('Stackdriver options are fine on the GKE profiles', () => {
    for (const profile of ['gke', 'gke-istioctl'] as const) {
      expect(check({ profile, telemetry: { metrics: 'stackdriver', accessLog: 'stackdriver', tracing: 'stackdriver' } })).toEqual([]);
    }
  });

  test('every value the matrix supports on a profile passes, every value it does not is refused', () => {
    for (const f of SUPPORT_MATRIX.filter((x) => x.option)) {
      const [block, key] = f.option!.field.split('.');
      // Jaeger tracing comes with the collector's address (required, checked on its own above).
      const extra = f.id === 'observability.tracing-jaeger' ? { jaegerAddress: 'jaeger.obs:9411' } : {};
      const input = (key ? { [block]: { [key]: f.option!.value, ...extra } } : { [block]: f.option!.value }) as Partial<SupportCheckInput>;
      for (const profile of MATRIX_PROFILES) {
        const found = check({ profile, ...input });
        if (f.status[profile] === 'unsupported') expect(found.join('\n')).toContain(`feature ${f.id}:`);
        else expect(found).toEqual([]);
      }
    }
  });

  test('supported JWT, in both spellings, and supported namespace policies pass', () => {
    expect(
      check({
        profile: 'onprem',
        mesh: {
          mtls: 'STRICT',
          egressGateway: true,
          outboundTrafficPolicy: 'REGISTRY_ONLY',
          namespacePolicies: [
            { namespace: 'a', mtls: 'PERMISSIVE', origins: [{ issuer: 'i' }], originIsOptional: true, principalBinding: 'USE_ORIGIN' },
            { namespace: 'b', mtls: 'STRICT', origins: [{ issuer: 'i' }], origin_is_optional: true, principal_binding: 'USE_ORIGIN' },
            { namespace: 'c', targets: [] },
          ],
        },
        ingress: { loadBalancerIP: '192.168.30.60' },
        telemetry: { metrics: 'prometheus', accessLog: 'stdout', tracing: 'jaeger', jaegerAddress: 'jaeger.tracing:9411' },
        cni: false,
      }),
    ).toEqual([]);
  });

  test('conflicting spellings, duplicate namespaces and a stray jaegerAddress are refused', () => {
    expect(
      check({
        profile: 'gke',
        telemetry: { tracing: 'stackdriver', jaegerAddress: 'jaeger:9411' },
        mesh: {
          namespacePolicies: [
            { namespace: 'a', originIsOptional: true, origin_is_optional: false },
            { namespace: 'a', principalBinding: 'USE_ORIGIN', principal_binding: 'USE_PEER' },
          ],
        },
      }),
    ).toEqual([
      'clusters[0].mesh.namespacePolicies[0].origin_is_optional: conflicts with originIsOptional: give one of originIsOptional and origin_is_optional',
      'clusters[0].mesh.namespacePolicies[1].principal_binding: conflicts with principalBinding: give one of principalBinding and principal_binding',
      'clusters[0].mesh.namespacePolicies[1].namespace: "a" duplicates namespacePolicies[0]: a namespace has one Policy named default',
      'clusters[0].telemetry.jaegerAddress: applies only when telemetry.tracing is "jaeger"',
    ]);
  });

  test('Jaeger tracing needs the collector address (asmpkg installs no collector)', () => {
    expect(check({ profile: 'onprem', telemetry: { tracing: 'jaeger' } })).toEqual([
      'clusters[0].telemetry.jaegerAddress: is required when telemetry.tracing is "jaeger": asmpkg installs no Jaeger collector; give the host:port of your collector\'s Zipkin endpoint (e.g. jaeger-collector.observability:9411)',
    ]);
    expect(check({ profile: 'onprem', telemetry: { tracing: 'jaeger', jaegerAddress: 'jaeger.obs:9411' } })).toEqual([]);
  });
});

describe('defaults derived from the matrix', () => {
  test('telemetryDefaults per profile', () => {
    expect(telemetryDefaults('gke')).toEqual({ metrics: 'stackdriver', accessLog: 'stackdriver', tracing: 'off' });
    expect(telemetryDefaults('gke-istioctl')).toEqual({ metrics: 'stackdriver', accessLog: 'stackdriver', tracing: 'off' });
    expect(telemetryDefaults('onprem')).toEqual({ metrics: 'prometheus', accessLog: 'off', tracing: 'off' });
  });

  test('a profile default is never refused on that profile', () => {
    for (const profile of MATRIX_PROFILES) {
      expect(check({ profile, telemetry: telemetryDefaults(profile), mesh: { mtls: meshMtlsDefault(profile) } })).toEqual([]);
    }
  });

  test('mesh mTLS defaults to PERMISSIVE', () => {
    for (const profile of MATRIX_PROFILES) expect(meshMtlsDefault(profile)).toBe('PERMISSIVE');
  });
});

describe('mesh option schema', () => {
  const schema = z.strictObject(meshOptionFields);
  const issues = (value: unknown) => {
    const r = schema.safeParse(value);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  test('loose enums accept refused values so the matrix rule explains them', () => {
    expect(issues({ mesh: { mtls: 'AUTO' }, telemetry: { tracing: 'zipkin', kiali: true }, cni: true })).toEqual([]);
  });

  test('values the matrix does not know get the enum message', () => {
    expect(optionValues('telemetry.tracing')).toEqual(['stackdriver', 'jaeger', 'zipkin', 'off']);
    expect(issues({ mesh: { mtls: 'DISABLE' } })).toEqual(['mesh.mtls: must be one of PERMISSIVE, STRICT']);
    expect(issues({ telemetry: { metrics: 'datadog' } })).toEqual(['telemetry.metrics: must be one of stackdriver, prometheus']);
    expect(issues({ telemetry: { accessLog: 'file' } })).toEqual(['telemetry.accessLog: must be one of stackdriver, stdout, off']);
  });

  test('unknown keys are refused', () => {
    expect(issues({ mesh: { mtlsMode: 'STRICT' } })).toEqual([expect.stringMatching(/^mesh: .*mtlsMode/)]);
    expect(issues({ telemetry: { zipkin: true } })).toEqual([expect.stringMatching(/^telemetry: .*zipkin/)]);
    expect(issues({ mesh: { namespacePolicies: [{ namespace: 'a', origins: [{ issuer: 'i', jwks_uri: 'x' }] }] } })).toEqual([
      expect.stringMatching(/^mesh\.namespacePolicies\.0\.origins\.0: .*jwks_uri/),
    ]);
  });

  test('field formats', () => {
    expect(issues({ mesh: { namespacePolicies: [{ namespace: 'Shop' }] } })).toEqual(['mesh.namespacePolicies.0.namespace: must be a namespace name (lowercase letters, digits, hyphens)']);
    expect(issues({ telemetry: { jaegerAddress: 'http://jaeger' } })).toEqual(['telemetry.jaegerAddress: must be host:port, e.g. jaeger-collector.observability:9411']);
    expect(issues({ mesh: { namespacePolicies: [{ namespace: 'a', principal_binding: 'ORIGIN' }] } })).toEqual([
      'mesh.namespacePolicies.0.principal_binding: must be USE_PEER or USE_ORIGIN',
    ]);
  });

  test('normalizeNamespacePolicy folds the proto spellings', () => {
    expect(normalizeNamespacePolicy({ namespace: 'a', origins: [{ issuer: 'i' }], origin_is_optional: true, principal_binding: 'USE_ORIGIN' })).toEqual({
      namespace: 'a',
      origins: [{ issuer: 'i' }],
      originIsOptional: true,
      principalBinding: 'USE_ORIGIN',
    });
    expect(normalizeNamespacePolicy({ namespace: 'b', mtls: 'STRICT' })).toEqual({ namespace: 'b', mtls: 'STRICT' });
  });
});

describe('wired into config loading', () => {
  const onprem = (extra: string) => `clusters:
- name: vmware
  profile: onprem
  version: 1.2.0-gke.6
  adminUser: admin@example.com
  nodePool: {cpus: 4, nodeCount: 4}
  ingress: {loadBalancerIP: 192.168.30.60}
${extra}`;

  test('a refused option fails the config with the matrix message', () => {
    expect(() => parseConfig(onprem('  telemetry: {tracing: zipkin}\n'), 'asm.yaml')).toThrow(
      'asm.yaml: clusters[0].telemetry.tracing: "zipkin" is not supported by ASM 1.4 (feature observability.zipkin: ASM 1.4 does not support Zipkin tracing; use Stackdriver (GKE) or Jaeger)',
    );
  });

  test('supported options load', () => {
    const config = parseConfig(onprem('  mesh: {mtls: STRICT}\n  telemetry: {accessLog: stdout}\n'));
    expect(config.clusters[0].mesh?.mtls).toBe('STRICT');
    expect(config.clusters[0].telemetry?.accessLog).toBe('stdout');
  });
});
