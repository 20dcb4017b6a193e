import { Chart, Testing, ApiObject } from 'cdk8s';
import { lintObjects, lintText } from '../../src/lint';
import { feature } from '../../src/catalog/support-matrix';

const lint = (yaml: string, profile: 'gke' | 'onprem' = 'gke') => lintText(yaml, 'm.yaml', { profile }).findings.map((f) => `${f.line} ${f.rule} ${f.field}`);

describe('DestinationRule load balancing', () => {
  test('top level, per port and per subset port, in both spellings', () => {
    expect(
      lint(`apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata: {name: r, namespace: n}
spec:
  host: r
  trafficPolicy:
    loadBalancer:
      consistent_hash: {useSourceIp: true}
  subsets:
  - name: a
    trafficPolicy:
      portLevelSettings:
      - port: {number: 80}
        loadBalancer:
          localityLbSetting: {enabled: true}
          consistentHash: {httpCookie: {name: c, ttl: 0s}}
`),
    ).toEqual([
      '8 traffic.consistent-hash-lb spec.trafficPolicy.loadBalancer.consistent_hash',
      '16 traffic.consistent-hash-lb spec.subsets[0].trafficPolicy.portLevelSettings[0].loadBalancer.consistentHash',
      '15 traffic.locality-lb spec.subsets[0].trafficPolicy.portLevelSettings[0].loadBalancer.localityLbSetting',
    ]);
  });

  test('simple policies and other groups are not findings', () => {
    expect(lint('apiVersion: example.com/v1\nkind: DestinationRule\nmetadata: {name: x}\nspec: {trafficPolicy: {loadBalancer: {consistentHash: {}}}}\n')).toEqual([]);
  });
});

describe('authentication policy', () => {
  const policy = (kind: string, spec: string) => `apiVersion: authentication.istio.io/v1alpha1\nkind: ${kind}\nmetadata: {name: default}\nspec:\n${spec}`;

  test('MeshPolicy with targets', () => {
    expect(lint(policy('MeshPolicy', '  targets: [{name: a}]\n'))).toEqual(['5 security.service-policy spec.targets']);
  });

  test('empty targets are no targets', () => {
    expect(lint(policy('Policy', '  targets: []\n  peers: [{mtls: {}}]\n'))).toEqual([]);
  });

  test.each([
    ['originIsOptional: true\n  principalBinding: USE_ORIGIN', []],
    ['origin_is_optional: true\n  principal_binding: USE_ORIGIN', []],
    ['originIsOptional: true', ['5 security.jwt-enforced spec.origins']],
    ['originIsOptional: "true"\n  principalBinding: USE_ORIGIN', ['5 security.jwt-enforced spec.origins']],
    ['principal_binding: USE_ORIGIN', ['5 security.jwt-enforced spec.origins']],
  ])('JWT with %j', (extra, want) => {
    expect(lint(policy('Policy', `  origins: [{jwt: {issuer: i}}]\n  ${extra}\n`))).toEqual(want);
  });

  test('the JWT finding says what is set', () => {
    const [f] = lintText(policy('Policy', '  origins: [{jwt: {issuer: i}}]\n  originIsOptional: false\n'), 'p.yaml').findings;
    expect(f.message).toBe('JWT origins with originIsOptional: false, principalBinding: unset (USE_PEER)');
  });
});

describe('what the CRDs of ASM 1.4 do not serve', () => {
  const doc = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x, namespace: n}\nspec: {}\n`;

  test.each([
    ['networking.istio.io/v1beta1', 'VirtualService', ['1 traffic.networking-api-versions apiVersion']],
    ['networking.istio.io/v1', 'Gateway', ['1 traffic.networking-api-versions apiVersion']],
    ['networking.istio.io/v1beta1', 'Sidecar', ['1 traffic.networking-api-versions apiVersion']],
    ['networking.istio.io/v1beta1', 'WorkloadEntry', ['2 traffic.workload-entry kind']],
    ['networking.istio.io/v1alpha3', 'WorkloadEntry', ['2 traffic.workload-entry kind']],
    ['networking.istio.io/v1alpha3', 'WorkloadGroup', ['2 traffic.workload-entry kind']],
    ['security.istio.io/v1beta1', 'PeerAuthentication', ['2 security.peer-authentication kind']],
    ['security.istio.io/v1beta1', 'RequestAuthentication', ['2 security.request-authentication kind']],
    ['networking.istio.io/v1alpha3', 'VirtualService', []],
    ['networking.istio.io/v1alpha3', 'ServiceEntry', []],
    ['security.istio.io/v1beta1', 'AuthorizationPolicy', []],
    ['example.com/v1beta1', 'WorkloadEntry', []],
  ])('%s %s', (apiVersion, kind, want) => {
    expect(lint(doc(apiVersion, kind))).toEqual(want);
    expect(lint(doc(apiVersion, kind), 'onprem')).toEqual(want);
  });

  test('the version finding names the served version', () => {
    const [f] = lintText(doc('networking.istio.io/v1beta1', 'DestinationRule'), 'd.yaml').findings;
    expect(f.severity).toBe('error');
    expect(f.message).toBe('DestinationRule at networking.istio.io/v1beta1 (served: networking.istio.io/v1alpha3)');
  });
});

describe('sidecar interception mode (pod annotation)', () => {
  const annotated = (mode: string) => `sidecar.istio.io/interceptionMode: ${mode}`;

  test.each([
    ['Pod', `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    ${annotated('TPROXY')}\nspec: {containers: []}\n`, ['6 traffic.interception-modes metadata.annotations["sidecar.istio.io/interceptionMode"]']],
    [
      'CronJob',
      `apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          annotations: {${annotated('NONE')}}\n`,
      ['9 traffic.interception-modes spec.jobTemplate.spec.template.metadata.annotations["sidecar.istio.io/interceptionMode"]'],
    ],
    ['StatefulSet REDIRECT', `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  template:\n    metadata:\n      annotations: {${annotated('REDIRECT')}}\n`, []],
    ['a CRD named Deployment', `apiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata:\n      annotations: {${annotated('TPROXY')}}\n`, []],
  ])('%s', (_kind, text, want) => {
    expect(lint(text)).toEqual(want);
  });

  test('the finding names the mode', () => {
    const [f] = lintText(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {${annotated('TPROXY')}}\n`, 'p.yaml').findings;
    expect(f.message).toBe('interception mode TPROXY');
    expect(f.severity).toBe('error');
  });
});

describe('rbac.istio.io', () => {
  test.each(['RbacConfig', 'ClusterRbacConfig', 'ServiceRole', 'ServiceRoleBinding'])('%s', (kind) => {
    expect(lint(`apiVersion: rbac.istio.io/v1alpha1\nkind: ${kind}\nmetadata: {name: x}\n`)).toEqual(['2 security.rbac-v1alpha1 kind']);
  });
});

describe('TCP-only protocols', () => {
  test('Service appProtocol, Gateway and Sidecar port protocols', () => {
    expect(
      lint(`apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  ports:
  - {name: tcp, port: 1, appProtocol: redis}
  - {name: mongo-primary, port: 2}
  - {name: mongodb, port: 3}
---
apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata: {name: g}
spec:
  servers:
  - port: {number: 27017, name: m, protocol: MONGO}
---
apiVersion: networking.istio.io/v1alpha3
kind: Sidecar
metadata: {name: s}
spec:
  ingress:
  - port: {number: 9092, name: k, protocol: KAFKA}
`),
    ).toEqual(['7 traffic.mongo-l7 spec.ports[1].name', '6 traffic.redis-l7 spec.ports[0].appProtocol', '15 traffic.mongo-l7 spec.servers[0].port.protocol', '22 traffic.kafka-l7 spec.ingress[0].port.protocol']);
  });

  test('TCP-only findings are warnings', () => {
    const [f] = lintText('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{name: redis, port: 6379}]}\n', 's.yaml').findings;
    expect(f.severity).toBe('warning');
    expect(f.reason).toMatch(/TCP byte stream/);
  });
});

describe('IPv6', () => {
  test('ServiceEntry IPv6 CIDR; unix sockets are not addresses', () => {
    expect(
      lint(`apiVersion: networking.istio.io/v1alpha3
kind: ServiceEntry
metadata: {name: e}
spec:
  addresses: ["fd00::/8"]
  endpoints:
  - address: unix:///var/run/app.sock
`),
    ).toEqual(['5 traffic.ipv6 spec.addresses[0]']);
  });
});

describe('install overlays', () => {
  test('IstioOperator components and values', () => {
    expect(
      lint(`apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
spec:
  components:
    cni:
      enabled: true
  addonComponents:
    kiali:
      enabled: true
  values:
    istio_cni: {enabled: true}
`),
    ).toEqual(['6 traffic.istio-cni spec.components.cni.enabled', '11 traffic.istio-cni spec.values.istio_cni.enabled', '9 observability.kiali spec.addonComponents.kiali.enabled']);
  });

  test('the tracing provider only matters when it is zipkin', () => {
    expect(lint('apiVersion: install.istio.io/v1alpha2\nkind: IstioControlPlane\nspec: {values: {tracing: {provider: jaeger}}}\n')).toEqual([]);
  });
});

describe('resource identity', () => {
  test('findings name kind, namespace and name; a List item points at its own lines', () => {
    const [f] = lintText(
      `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: c}
- apiVersion: networking.istio.io/v1alpha3
  kind: EnvoyFilter
  metadata:
    name: f
    namespace: istio-system
`,
      'list.yaml',
    ).findings;
    expect(f).toMatchObject({ rule: 'traffic.envoy-filter', file: 'list.yaml', line: 8, column: 3, kind: 'EnvoyFilter', namespace: 'istio-system', name: 'f', field: 'kind' });
  });

  test('a data value that happens to say EnvoyFilter is not an EnvoyFilter', () => {
    expect(lint('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {kind: EnvoyFilter, apiVersion: networking.istio.io/v1alpha3}\n')).toEqual([]);
  });
});

describe('lintObjects (synthesized, in memory)', () => {
  test('finds unsupported objects in a cdk8s chart, without lines', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ApiObject(chart, 'f', { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'f', namespace: 'n' } });
    new ApiObject(chart, 'p', { apiVersion: 'authentication.istio.io/v1alpha1', kind: 'MeshPolicy', metadata: { name: 'default' }, spec: { peers: [{ mtls: {} }] } });
    const findings = lintObjects(Testing.synth(chart), 'chart c');
    expect(findings.map((f) => [f.rule, f.name, f.line])).toEqual([['traffic.envoy-filter', 'f', 0]]);
  });
});

describe('TCP-only protocols and the support matrix', () => {
  const service = (ports: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: n}\nspec:\n  ports:\n${ports}`;

  test('traffic.tcp is supported, so tcp-kafka, tcp-redis and tcp-mongo ports are not findings', () => {
    expect(feature('traffic.tcp').status).toEqual({ gke: 'default', 'gke-istioctl': 'default', onprem: 'default' });
    for (const name of ['tcp-kafka', 'tcp-redis', 'tcp-mongo', 'TCP-Kafka']) {
      expect(lint(service(`  - {name: ${name}, port: 1}\n`))).toEqual([]);
    }
  });

  test('the L7 protocol as the name prefix is a finding, whatever follows', () => {
    expect(lint(service('  - {name: kafka-tcp, port: 1}\n  - {name: redis, port: 2}\n  - {name: mongo-main, port: 3}\n'))).toEqual([
      '8 traffic.mongo-l7 spec.ports[2].name',
      '7 traffic.redis-l7 spec.ports[1].name',
      '6 traffic.kafka-l7 spec.ports[0].name',
    ]);
  });

  test('the fix names the tcp- port to use', () => {
    const [f] = lintText(service('  - {name: redis, port: 1}\n'), 's.yaml').findings;
    expect(f.fix).toMatch(/^name the port tcp-redis/);
  });
});

describe('WebSocket appProtocol', () => {
  const service = (ports: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n${ports}`;

  test.each(['websocket', 'WebSocket', 'ws', 'kubernetes.io/wss'])('appProtocol %s is the WebSocket warning', (p) => {
    const findings = lintText(service(`  - name: live\n    port: 1\n    appProtocol: ${p}\n`), 's.yaml').findings;
    expect(findings.map((f) => `${f.line} ${f.severity} ${f.rule} ${f.field}`)).toEqual(['8 warning traffic.websocket-l7 spec.ports[0].appProtocol']);
  });

  test('other appProtocols are not WebSocket findings', () => {
    expect(lint(service('  - {name: web, port: 1, appProtocol: http}\n  - {name: grpc, port: 2, appProtocol: kubernetes.io/h2c}\n'))).toEqual([]);
  });
});

describe('mesh config (ConfigMap istio in istio-system, data.mesh)', () => {
  const meshCm = (mesh: string, meta = 'name: istio, namespace: istio-system') =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {${meta}}\ndata:\n  mesh: |-\n${mesh
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n`;

  test('enableAutoMtls: true, in either spelling, points at the mesh key', () => {
    expect(lint(meshCm('enableAutoMtls: true'))).toEqual(['5 security.auto-mtls data.mesh.enableAutoMtls']);
    expect(lint(meshCm('enable_auto_mtls: true'))).toEqual(['5 security.auto-mtls data.mesh.enable_auto_mtls']);
    expect(lint(meshCm('enableAutoMtls: false'))).toEqual([]);
  });

  test('a zipkin tracer is reported while tracing is on (enableTracing defaults to true)', () => {
    const zipkin = 'defaultConfig:\n  tracing:\n    zipkin:\n      address: zipkin.istio-system:9411';
    expect(lint(meshCm(zipkin))).toEqual(['5 observability.zipkin data.mesh.defaultConfig.tracing.zipkin']);
    expect(lint(meshCm(`enableTracing: true\n${zipkin}`))).toEqual(['5 observability.zipkin data.mesh.defaultConfig.tracing.zipkin']);
    expect(lint(meshCm(`enableTracing: false\n${zipkin}`))).toEqual([]);
    expect(lint(meshCm('defaultConfig:\n  tracing:\n    stackdriver: {}'))).toEqual([]);
    const [f] = lintText(meshCm(zipkin), 'm.yaml').findings;
    expect(f.severity).toBe('warning');
    expect(f.message).toBe('Zipkin tracer in the mesh config (address zipkin.istio-system:9411)');
  });

  test('a zipkin tracer the ConfigMap declares a Jaeger collector is not reported', () => {
    const zipkin = 'defaultConfig:\n  tracing:\n    zipkin:\n      address: jaeger-collector.observability:9411';
    const declared = (value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\n  annotations: {asmpkg.dev/zipkin-backend: ${value}}\ndata:\n  mesh: |\n${zipkin.replace(/^/gm, '    ')}\n`;
    expect(lint(declared('jaeger'))).toEqual([]);
    expect(lint(declared('zipkin'))).toEqual(['8 observability.zipkin data.mesh.defaultConfig.tracing.zipkin']);
  });

  test('only the istio ConfigMap in istio-system, and only mesh text that parses', () => {
    expect(lint(meshCm('enableAutoMtls: true', 'name: istio, namespace: default'))).toEqual([]);
    expect(lint(meshCm('enableAutoMtls: true', 'name: istio-sidecar-injector, namespace: istio-system'))).toEqual([]);
    expect(lint(meshCm('enableAutoMtls: [true'))).toEqual([]);
    expect(lint('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata: {mesh: "enableAutoMtls: true"}\n')).toEqual([
      '4 security.auto-mtls data.mesh.enableAutoMtls',
    ]);
  });
});
