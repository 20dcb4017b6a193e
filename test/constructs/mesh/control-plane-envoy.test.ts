/**
 * Issue 13, finding 4: pilot reads galley's config stream with mutual TLS only, as Istio
 * 1.4.6 does with control-plane security (pilot's Envoy on localhost:15019 to galley's
 * Envoy on 15019), SDS certificates from the node agent on GKE, Citadel's files on-prem;
 * galley's plain MCP is bound to localhost and on no Service.
 */
import { parse } from 'yaml';
import { galleyEnvoyTemplate, pilotEnvoyTemplate } from '../../../src/constructs/mesh/control-plane-envoy';
import { renderInCluster } from '../../helpers/in-cluster';
import { container, gkeValues, onpremValues } from '../../helpers/mesh-values';

const PILOT_ID = 'spiffe://my-project.svc.id.goog/ns/istio-system/sa/istio-pilot-service-account';
const GALLEY_ID = 'spiffe://my-project.svc.id.goog/ns/istio-system/sa/istio-galley-service-account';

const listener = (t: any, name: string) => t.static_resources.listeners.find((l: any) => l.name === name);
const cluster = (t: any, name: string) => t.static_resources.clusters.find((c: any) => c.name === name);

/** The node agent's SDS over its socket, authenticated with the pod's projected token. */
function expectSds(sdsConfig: any) {
  const grpc = sdsConfig.api_config_source.grpc_services[0].google_grpc;
  expect(grpc.target_uri).toBe('unix:/var/run/sds/uds_path');
  expect(grpc.call_credentials[0].from_plugin.config.secret_data).toEqual({ filename: '/var/run/secrets/tokens/istio-token' });
}

describe('control-plane mTLS on GKE (SDS from the node agent, no Citadel)', () => {
  const values = gkeValues();
  const galley = parse(galleyEnvoyTemplate(values));
  const pilot = parse(pilotEnvoyTemplate(values));

  test('galley\'s Envoy: 15019 with SDS certificates, client certificate required and only pilot\'s identity accepted, to galley on 127.0.0.1:9901', () => {
    const l = listener(galley, '15019');
    expect(l.address.socket_address).toEqual({ address: '0.0.0.0', port_value: 15019 });
    const tls = l.filter_chains[0].tls_context;
    expect(tls.require_client_certificate).toBe(true);
    expect(tls.common_tls_context.tls_certificate_sds_secret_configs[0].name).toBe('default');
    expectSds(tls.common_tls_context.tls_certificate_sds_secret_configs[0].sds_config);
    expect(tls.common_tls_context.combined_validation_context.validation_context_sds_secret_config.name).toBe('ROOTCA');
    expectSds(tls.common_tls_context.combined_validation_context.validation_context_sds_secret_config.sds_config);
    expect(tls.common_tls_context.combined_validation_context.default_validation_context.verify_subject_alt_name).toEqual([PILOT_ID]);
    expect(l.filter_chains[0].filters[0].config.route_config.virtual_hosts[0].routes[0].route.cluster).toBe('in.9901');
    expect(cluster(galley, 'in.9901').hosts[0].socket_address).toEqual({ address: '127.0.0.1', port_value: 9901 });
    expect(galleyEnvoyTemplate(values)).not.toContain('/etc/certs');
  });

  test('pilot\'s Envoy: galley\'s MCP for discovery on 127.0.0.1:15019, dialled to istio-galley:15019 with SDS mTLS checking galley\'s identity', () => {
    const local = listener(pilot, 'local.15019');
    expect(local.address.socket_address).toEqual({ address: '127.0.0.1', port_value: 15019 });
    expect(local.filter_chains[0].filters[0].config.route_config.virtual_hosts[0].routes[0].route.cluster).toBe('out.galley.15019');
    const out = cluster(pilot, 'out.galley.15019');
    expect(out.hosts[0].socket_address).toEqual({ address: 'istio-galley.istio-system', port_value: 15019 });
    expect(out.type).toBe('STRICT_DNS');
    expect(out.http2_protocol_options).toEqual({});
    const ctx = out.tls_context.common_tls_context;
    expectSds(ctx.tls_certificate_sds_secret_configs[0].sds_config);
    expect(ctx.combined_validation_context.default_validation_context.verify_subject_alt_name).toEqual([GALLEY_ID]);
    expect(pilotEnvoyTemplate(values)).not.toContain('/etc/certs');
  });

  test('pilot\'s Envoy: xDS with mTLS on 15011 (SDS, any mesh workload) to discovery\'s 15010', () => {
    const l = listener(pilot, 'in.15011');
    expect(l.address.socket_address).toEqual({ address: '0.0.0.0', port_value: 15011 });
    expect(l.filter_chains[0].tls_context.require_client_certificate).toBe(true);
    expect(l.filter_chains[0].tls_context.common_tls_context.alpn_protocols).toEqual(['h2']);
    expect(l.filter_chains[0].tls_context.common_tls_context.combined_validation_context.default_validation_context.verify_subject_alt_name).toEqual([]);
    expect(cluster(pilot, 'in.15010').hosts[0].socket_address).toEqual({ address: '127.0.0.1', port_value: 15010 });
  });
});

describe('control-plane mTLS on-prem (Citadel\'s certificates in /etc/certs)', () => {
  const values = onpremValues();
  const galley = parse(galleyEnvoyTemplate(values));
  const pilot = parse(pilotEnvoyTemplate(values));

  test('both sides use the mounted workload certificate and check the peer', () => {
    const server = listener(galley, '15019').filter_chains[0].tls_context;
    expect(server.require_client_certificate).toBe(true);
    expect(server.common_tls_context.tls_certificates).toEqual([{ certificate_chain: { filename: '/etc/certs/cert-chain.pem' }, private_key: { filename: '/etc/certs/key.pem' } }]);
    expect(server.common_tls_context.validation_context).toEqual({
      trusted_ca: { filename: '/etc/certs/root-cert.pem' },
      verify_subject_alt_name: ['spiffe://cluster.local/ns/istio-system/sa/istio-pilot-service-account'],
    });
    const client = cluster(pilot, 'out.galley.15019').tls_context.common_tls_context;
    expect(client.validation_context.verify_subject_alt_name).toEqual(['spiffe://cluster.local/ns/istio-system/sa/istio-galley-service-account']);
    expect(pilotEnvoyTemplate(values)).not.toContain('sds');
  });
});

describe.each([
  ['gke', gkeValues()],
  ['onprem', onpremValues({ egressGateway: true })],
])('the rendered install (%s): no plaintext control-plane port reachable from other pods', (_p, values) => {
  const objs = renderInCluster(values).map((o) => o.obj);
  const byName = (kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name)!;

  test('galley binds plain MCP to localhost; no container or Service port 9901 anywhere', () => {
    const galley = container(byName('Deployment', 'istio-galley'), 'galley');
    expect(galley.command).toContain('--server-address=tcp://127.0.0.1:9901');
    for (const o of objs) {
      const text = JSON.stringify(o.kind === 'Service' ? o.spec.ports : o.spec?.template?.spec?.containers?.map((c: any) => c.ports) ?? []);
      expect(text).not.toMatch(/:9901[,}]/);
    }
    expect(byName('Service', 'istio-galley').spec.ports.map((p: any) => p.port)).toEqual([443, 15014, 15019]);
  });

  test('pilot reads galley at localhost:15019, served by its Envoy from the mounted template', () => {
    const mesh = parse(byName('ConfigMap', 'istio').data.mesh);
    expect(mesh.configSources).toEqual([{ address: 'localhost:15019' }]);
    const dep = byName('Deployment', 'istio-pilot');
    const proxy = container(dep, 'istio-proxy');
    const templateFile = proxy.args[proxy.args.indexOf('--templateFile') + 1];
    const mount = proxy.volumeMounts.find((m: any) => templateFile.startsWith(`${m.mountPath}/`));
    const volume = dep.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
    const cm = byName('ConfigMap', volume.configMap.name);
    expect(cm.data[templateFile.slice(mount.mountPath.length + 1)]).toBe(pilotEnvoyTemplate(values));
    if (values.platform === 'gke') {
      // what the template's SDS config reads is mounted in both proxies
      for (const d of [dep, byName('Deployment', 'istio-galley')]) {
        const mounts = container(d, 'istio-proxy').volumeMounts.map((m: any) => m.mountPath);
        expect(mounts).toEqual(expect.arrayContaining(['/var/run/sds', '/var/run/secrets/tokens']));
      }
    }
  });

  test('the templates carry this cluster\'s trust domain only', () => {
    for (const t of [galleyEnvoyTemplate(values), pilotEnvoyTemplate(values)]) {
      expect(t).toContain(`spiffe://${values.trustDomain}/ns/istio-system/sa/`);
      const ids = t.match(/spiffe:\/\/[^/\s]+/g) ?? [];
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids)).toEqual(new Set([`spiffe://${values.trustDomain}`]));
    }
    const other = { ...values, trustDomain: 'corp.example' };
    expect(pilotEnvoyTemplate(other)).toBe(pilotEnvoyTemplate(values).split(values.trustDomain).join('corp.example'));
  });

  test('every listener of the control-plane Envoys on a pod address requires a client certificate', () => {
    for (const t of [galleyEnvoyTemplate(values), pilotEnvoyTemplate(values)].map((x) => parse(x))) {
      for (const l of t.static_resources.listeners) {
        if (l.address.socket_address.address === '127.0.0.1') continue;
        for (const chain of l.filter_chains) expect(chain.tls_context?.require_client_certificate).toBe(true);
      }
    }
  });
});
