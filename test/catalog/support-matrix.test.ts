import { readFileSync } from 'fs';
import * as path from 'path';
import {
  MATRIX_PROFILES,
  OptionField,
  SUPPORT_AREAS,
  SUPPORT_MATRIX,
  defaultOptionValue,
  feature,
  featureForOption,
  isSupported,
  statusFor,
} from '../../src/catalog/support-matrix';
import { REGENERATE_COMMAND, SUPPORT_MATRIX_DOC_PATH, renderSupportMatrixMarkdown } from '../../src/catalog/support-matrix-doc';
import { ISTIO_ADDON_SUPPORT } from '../../src/catalog/istio-on-gke';

describe('support matrix data', () => {
  test('ids are unique, kebab-case and prefixed with their area', () => {
    const ids = SUPPORT_MATRIX.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of SUPPORT_MATRIX) {
      expect(f.id).toMatch(/^(traffic|security|observability)\.[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(f.id.split('.')[0]).toBe(f.area);
      expect(SUPPORT_AREAS).toContain(f.area);
    }
  });

  test('every feature has a status for every profile, a title and a reason', () => {
    for (const f of SUPPORT_MATRIX) {
      expect(Object.keys(f.status).sort()).toEqual([...MATRIX_PROFILES].sort());
      for (const p of MATRIX_PROFILES) expect(['default', 'optional', 'unsupported']).toContain(f.status[p]);
      expect(f.title.length).toBeGreaterThan(0);
      expect(f.reason.length).toBeGreaterThan(0);
    }
  });

  // SPEC section 7, statement by statement.
  test.each([
    ['traffic.iptables-interception', 'default', 'default'],
    ['traffic.egress-sidecar', 'default', 'default'],
    ['traffic.egress-gateway', 'optional', 'optional'],
    ['traffic.istio-cni', 'unsupported', 'unsupported'],
    ['traffic.ipv6', 'unsupported', 'unsupported'],
    ['traffic.envoy-filter', 'unsupported', 'unsupported'],
    ['traffic.consistent-hash-lb', 'unsupported', 'unsupported'],
    ['traffic.locality-lb', 'unsupported', 'unsupported'],
    ['traffic.kafka-l7', 'unsupported', 'unsupported'],
    ['security.mesh-ca', 'default', 'unsupported'],
    ['security.sds-certificates', 'default', 'unsupported'],
    ['security.secret-mount-certificates', 'unsupported', 'default'],
    ['security.mtls-permissive', 'default', 'default'],
    ['security.mtls-strict', 'optional', 'optional'],
    ['security.auto-mtls', 'unsupported', 'unsupported'],
    ['security.service-policy', 'unsupported', 'unsupported'],
    ['security.rbac-v1alpha1', 'unsupported', 'unsupported'],
    ['security.jwt-optional-origin', 'optional', 'optional'],
    ['security.jwt-enforced', 'unsupported', 'unsupported'],
    ['observability.metrics-stackdriver', 'default', 'unsupported'],
    ['observability.metrics-prometheus', 'optional', 'default'],
    ['observability.access-log-stackdriver', 'default', 'unsupported'],
    ['observability.access-log-stdout', 'optional', 'optional'],
    ['observability.tracing-stackdriver', 'optional', 'unsupported'],
    ['observability.tracing-jaeger', 'optional', 'optional'],
    ['observability.ui-prometheus-grafana', 'optional', 'default'],
    ['observability.zipkin', 'unsupported', 'unsupported'],
    ['observability.kiali', 'unsupported', 'unsupported'],
  ])('%s: %s on GKE, %s on-prem', (id, gke, onprem) => {
    expect(statusFor(id, 'gke')).toBe(gke);
    expect(statusFor(id, 'gke-istioctl')).toBe(gke);
    expect(statusFor(id, 'onprem')).toBe(onprem);
  });

  test('on-prem has no Stackdriver feature at all', () => {
    const stackdriver = SUPPORT_MATRIX.filter((f) => /stackdriver/.test(f.id));
    expect(stackdriver.length).toBeGreaterThanOrEqual(4);
    for (const f of stackdriver) expect(f.status.onprem).toBe('unsupported');
  });

  test('each config value selects at most one feature, and each option has at most one default per profile', () => {
    const keys = SUPPORT_MATRIX.flatMap((f) => (f.option ? [`${f.option.field}=${String(f.option.value)}`] : []));
    expect(new Set(keys).size).toBe(keys.length);
    const fields = new Set(SUPPORT_MATRIX.flatMap((f) => (f.option ? [f.option.field] : [])));
    for (const field of fields) {
      for (const p of MATRIX_PROFILES) {
        const defaults = SUPPORT_MATRIX.filter((f) => f.option?.field === field && f.status[p] === 'default');
        expect(defaults.length).toBeLessThanOrEqual(1);
      }
    }
  });

  test('lookups', () => {
    expect(feature('traffic.envoy-filter').title).toMatch(/EnvoyFilter/);
    expect(() => feature('traffic.nope')).toThrow(/unknown support matrix feature: traffic.nope/);
    expect(isSupported('security.mtls-strict', 'onprem')).toBe(true);
    expect(isSupported('security.auto-mtls', 'gke')).toBe(false);
    expect(featureForOption('telemetry.tracing', 'zipkin')?.id).toBe('observability.zipkin');
    expect(featureForOption('telemetry.tracing', 'off')).toBeUndefined();
    const field: OptionField = 'telemetry.metrics';
    expect(defaultOptionValue(field, 'gke')).toBe('stackdriver');
    expect(defaultOptionValue(field, 'onprem')).toBe('prometheus');
    expect(defaultOptionValue('telemetry.tracing', 'gke')).toBeUndefined();
  });
});

describe('docs/support-matrix.md', () => {
  const rendered = renderSupportMatrixMarkdown();

  test('is up to date with the matrix', () => {
    const file = path.join(__dirname, '..', '..', SUPPORT_MATRIX_DOC_PATH);
    const onDisk = readFileSync(file, 'utf8');
    if (onDisk !== rendered) {
      throw new Error(`${SUPPORT_MATRIX_DOC_PATH} is stale: it differs from renderSupportMatrixMarkdown(). Regenerate it with: ${REGENERATE_COMMAND}`);
    }
  });

  test('has a table per area and a row per feature, with every status', () => {
    expect(rendered).toContain('## Traffic management');
    expect(rendered).toContain('## Security');
    expect(rendered).toContain('## Observability');
    expect(rendered).toContain('| Feature | ID | gke | gke-istioctl | onprem | istio-on-gke | Reason / note |');
    for (const f of SUPPORT_MATRIX) {
      const row = rendered.split('\n').find((l) => l.includes(`| \`${f.id}\` |`));
      expect(row).toBeDefined();
      expect(row).toContain(`| ${f.status.gke} | ${f.status['gke-istioctl']} | ${f.status.onprem} | ${ISTIO_ADDON_SUPPORT[f.id] ?? '?'} |`);
    }
    expect(rendered).toContain(
      '| HTTP in-proxy metrics to Stackdriver | `observability.metrics-stackdriver` | default | default | unsupported | ? | Stackdriver metrics, logging and tracing are not available on GKE on-prem; only Prometheus/Grafana are |',
    );
  });

  test('the add-on column: known facts from SPEC section 13, ? elsewhere; every id is a matrix feature', () => {
    for (const id of Object.keys(ISTIO_ADDON_SUPPORT)) expect(SUPPORT_MATRIX.some((f) => f.id === id)).toBe(true);
    expect(rendered).toContain('| STRICT mutual TLS | `security.mtls-strict` | optional | optional | optional | optional | mTLS only |');
    expect(rendered).toContain('| Auto mutual TLS | `security.auto-mtls` | unsupported | unsupported | unsupported | unsupported |');
  });

  test('escapes pipes so a cell cannot break its row', () => {
    for (const line of rendered.split('\n').filter((l) => l.startsWith('| ') && l.includes('`'))) {
      expect(line.replace(/\\\|/g, '').split('|').length).toBe(9);
    }
  });
});
