import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { AsmSupportValidation, ValidationContext, ValidationViolation } from '../../src/lint/cdk8s-plugin';

/** A stand-in for cdk8s-cli's ValidationContext that records what the plugin reports. */
function fakeContext(manifests: string[]) {
  const violations: ValidationViolation[] = [];
  const logs: string[] = [];
  let status: string | undefined;
  let metadata: Record<string, string> | undefined;
  const context: ValidationContext = {
    manifests,
    report: {
      addViolation: (v) => violations.push(v),
      submit: (s, m) => {
        status = s;
        metadata = m;
      },
    },
    logger: { log: (m) => logs.push(m) },
  };
  return { context, violations, logs, result: () => ({ status, metadata }) };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function manifest(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'asmpkg-plugin-'));
  dirs.push(dir);
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const ENVOY_FILTERS = `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: a, namespace: n}
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: b, namespace: n}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {ports: [{name: redis, port: 6379}]}
`;

describe('AsmSupportValidation (cdk8s validation plugin)', () => {
  test('reports one violation per rule, each resource with its lines, and fails', async () => {
    const file = manifest('chart.k8s.yaml', ENVOY_FILTERS);
    const fake = fakeContext([file]);
    await new AsmSupportValidation().validate(fake.context);
    expect(fake.violations).toEqual([
      {
        ruleName: 'traffic.envoy-filter',
        recommendation: 'ASM 1.4 does not support custom Envoy filters (ASM 1.4 support matrix, feature traffic.envoy-filter)',
        fix: 'remove the EnvoyFilter; express the behaviour with VirtualService/DestinationRule routing rules',
        violatingResources: [
          { resourceName: 'a', manifestPath: file, locations: ['line 2: kind (error: custom Envoy filter)'] },
          { resourceName: 'b', manifestPath: file, locations: ['line 6: kind (error: custom Envoy filter)'] },
        ],
      },
      expect.objectContaining({ ruleName: 'traffic.redis-l7', violatingResources: [expect.objectContaining({ resourceName: 'db', locations: ['line 12: spec.ports[0].name (warning: Redis L7 (port name redis))'] })] }),
    ]);
    expect(fake.result()).toEqual({ status: 'failure', metadata: { profile: 'gke' } });
  });

  test('failOn: error passes with only warnings; clean manifests pass', async () => {
    const warnOnly = fakeContext([manifest('w.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {ports: [{name: mongo, port: 1}]}\n')]);
    await new AsmSupportValidation({ failOn: 'error' }).validate(warnOnly.context);
    expect(warnOnly.violations).toHaveLength(1);
    expect(warnOnly.result().status).toBe('success');

    const clean = fakeContext([manifest('c.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n')]);
    await new AsmSupportValidation({ profile: 'onprem' }).validate(clean.context);
    expect(clean.violations).toEqual([]);
    expect(clean.result()).toEqual({ status: 'success', metadata: { profile: 'onprem' } });
  });

  test('unreadable manifests fail the validation and are logged', async () => {
    const fake = fakeContext([manifest('bad.yaml', 'kind: [\n')]);
    await new AsmSupportValidation().validate(fake.context);
    expect(fake.result().status).toBe('failure');
    expect(fake.logs[0]).toMatch(/bad\.yaml:\d+: not valid YAML/);
  });

  test('refuses unknown properties values', () => {
    expect(() => new AsmSupportValidation({ profile: 'eks' })).toThrow(/profile must be one of gke, gke-istioctl, onprem/);
    expect(() => new AsmSupportValidation({ failOn: 'info' })).toThrow(/failOn must be warning or error/);
  });
});
