import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import * as fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { configJsonSchema } from '../../src/config/json-schema';
import { parseConfig } from '../../src/config/load';
import { fleet } from '../helpers/arbitraries';
import { ISTIO_ON_GKE_CLUSTER, withField } from '../helpers/config';

const ROOT = path.resolve(__dirname, '../..');

describe('the published JSON Schema', () => {
  const committed = readFileSync(path.join(ROOT, 'schema/asmpkg.schema.json'), 'utf8');

  test('is what the config schema generates (run `npm run generate` when this fails)', () => {
    expect(committed).toBe(configJsonSchema());
  });

  test('accepts the example config and rejects a misspelt field and a wrong type', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(committed));
    const example = parse(readFileSync(path.join(ROOT, 'examples/asmpkg.yaml'), 'utf8'));
    expect(validate(example)).toBe(true);
    const typo = structuredClone(example);
    typo.clusters[0].nodepool = typo.clusters[0].nodePool;
    delete typo.clusters[0].nodePool;
    expect(validate(typo)).toBe(false);
    const wrongType = structuredClone(example);
    wrongType.clusters[0].nodePool.nodeCount = 'four';
    expect(validate(wrongType)).toBe(false);
  });
});

describe('the JSON Schema says what the CLI says (issue 14)', () => {
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema/asmpkg.schema.json'), 'utf8'));
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const gke = { name: 'asm-gke', profile: 'gke', project: { id: 'asm-demo-project', number: '123456789012' }, location: 'us-central1-c', version: '1.15.9-gke.22', nodePool: { machineType: 'e2-standard-4', nodeCount: 4 } };
  const onprem = { name: 'asm-onprem', profile: 'onprem', version: '1.2.0-gke.6', adminUser: 'admin@example.com', nodePool: { cpus: 4, nodeCount: 4 }, ingress: { loadBalancerIP: '192.168.30.60' } };
  const ok = (config: unknown) => validate(config);
  const without = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

  test('the good clusters pass', () => {
    expect(ok({ clusters: [gke, onprem] })).toBe(true);
  });

  test("the other meshes' profiles keep their own limits: a 1-node pool of 2 vCPUs", () => {
    const small = withField(withField(ISTIO_ON_GKE_CLUSTER, 'nodePool.nodeCount', 1), 'nodePool.machineType', 'n1-standard-2');
    expect(parseConfig(stringify({ clusters: [small] })).clusters).toHaveLength(1);
    expect(ok({ clusters: [small] })).toBe(true);
    // a default below ASM's minimum: fine for them, each ASM cluster must give its own
    expect(ok({ defaults: { nodePool: { nodeCount: 1 } }, clusters: [withField(small, 'nodePool.nodeCount', undefined), gke] })).toBe(true);
    expect(ok({ defaults: { nodePool: { nodeCount: 1 } }, clusters: [{ ...gke, nodePool: { machineType: 'e2-standard-4' } }] })).toBe(false);
  });

  test.each<[string, unknown]>([
    ['a 3-node pool', { clusters: [{ ...gke, nodePool: { machineType: 'e2-standard-4', nodeCount: 3 } }] }],
    ['mesh.mtls: strict', { clusters: [{ ...gke, mesh: { mtls: 'strict' } }] }],
    ['mesh.mtls: AUTO (refused on every profile)', { clusters: [{ ...gke, mesh: { mtls: 'AUTO' } }] }],
    ['a gke cluster without location', { clusters: [without(gke, 'location')] }],
    ['an onprem cluster without loadBalancerIP', { clusters: [{ ...onprem, ingress: {} }] }],
    ['an unknown zone', { clusters: [{ ...gke, location: 'europe-west1-a' }] }],
    ['a 2-vCPU machine', { clusters: [{ ...gke, nodePool: { machineType: 'e2-standard-2', nodeCount: 4 } }] }],
    ['stackdriver metrics on-prem', { clusters: [{ ...onprem, telemetry: { metrics: 'stackdriver' } }] }],
    ["a gke cluster's own adminUser", { clusters: [{ ...gke, adminUser: 'a@example.com' }] }],
    ['an IPv6 VIP', { clusters: [{ ...onprem, ingress: { loadBalancerIP: 'fd00::1' } }] }],
    ['a non-breaking space in free text', { clusters: [{ ...onprem, certificates: { organization: 'Example\u00a0Corp' } }] }],
    ['Go template delimiters in free text', { clusters: [{ ...onprem, certificates: { organization: 'Example {{ .Values }}' } }] }],
    ['a kpt setter marker in a namespace policy issuer', { clusters: [{ ...gke, mesh: { namespacePolicies: [{ namespace: 'a', origins: [{ issuer: '${iss}' }], originIsOptional: true, principalBinding: 'USE_ORIGIN' }] } }] }],
  ])('refuses %s', (_name, config) => {
    expect(ok(config)).toBe(false);
  });

  test('accepts what defaults supply, and defaults for fields some profiles lack', () => {
    expect(ok({ defaults: { location: 'us-central1-c' }, clusters: [without(gke, 'location')] })).toBe(true);
    expect(ok({ defaults: { adminUser: 'ops@example.com', ingress: { loadBalancerIP: '10.0.0.1' } }, clusters: [gke, { ...without(onprem, 'adminUser'), ingress: {} }] })).toBe(true);
  });

  test('enums editors can complete: mtls and telemetry list the supported values only', () => {
    const props = schema.properties.clusters.items.properties;
    expect(props.mesh.properties.mtls.enum).toEqual(['PERMISSIVE', 'STRICT']);
    expect(props.telemetry.properties.metrics.enum).toEqual(['stackdriver', 'prometheus']);
    expect(props.telemetry.properties.accessLog.enum).toEqual(['stackdriver', 'stdout', 'off']);
    expect(props.telemetry.properties.tracing.enum).toEqual(['stackdriver', 'jaeger', 'off']);
    expect(props.nodePool.properties.nodeCount.minimum).toBe(1);
    const gkeRules = schema.properties.clusters.items.allOf.find((r: { if: { properties: { profile: { enum: string[] } } } }) => r.if.properties.profile.enum[0] === 'gke');
    expect(gkeRules.then.properties.nodePool.properties.nodeCount.minimum).toBe(4);
    expect(props.location.enum).toContain('europe-west1-b');
    expect(props.location.enum).not.toContain('europe-west1-a');
  });
});

describe('the JSON Schema is never stricter than the CLI (issue 14)', () => {
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/asmpkg.schema.json'), 'utf8')));

  test('every generated valid fleet (the property tests\' generator) is accepted by both', () => {
    fc.assert(
      fc.property(fleet, (clusters) => {
        const config = { clusters };
        expect(parseConfig(stringify(config)).clusters).toHaveLength(clusters.length);
        expect([validate(config), validate.errors ?? []]).toEqual([true, []]);
      }),
      { seed: Number(process.env.FC_SEED ?? 20200309), numRuns: Number(process.env.FC_RUNS ?? 50) },
    );
  });
});
