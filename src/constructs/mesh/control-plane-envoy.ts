/**
 * Envoy bootstraps of the control-plane pods (Istio 1.4 with controlPlaneSecurityEnabled):
 * every link between pilot, galley and the sidecars is mutual TLS terminated by the
 * pods' Envoys, with the workload certificates of the platform — from the node agent
 * over SDS on GKE (Mesh CA; no Citadel there), from Citadel's `istio.<sa>` secret
 * mounted at /etc/certs on-prem. The plain ports stay inside the pods (localhost).
 */
import { COMPONENTS, GALLEY_LOCAL_MCP_PORT, ISTIO_NAMESPACE, PILOT_LOCAL_GALLEY_PORT, servicePort } from '../../catalog/components';
import { PROXY } from '../../catalog/proxy';
import { usesSds } from './injection-template';
import type { MeshValues } from './values';

/** Where the control-plane proxies find the token they present to the node agent (their `istio-token` mount). */
export const SDS_TOKEN_DIR = '/var/run/secrets/tokens';
const SDS_TOKEN_FILE = `${SDS_TOKEN_DIR}/istio-token`;
/** Workload certificate files Citadel writes into `istio.<sa>` (on-prem). */
const CERT_FILES = { chain: '/etc/certs/cert-chain.pem', key: '/etc/certs/key.pem', root: '/etc/certs/root-cert.pem' } as const;

/** `spiffe://TRUST_DOMAIN/ns/istio-system/sa/SA`: the identity of a control-plane component's certificate. */
export function spiffeId(values: MeshValues, serviceAccount: string): string {
  return `spiffe://${values.trustDomain}/ns/${ISTIO_NAMESPACE}/sa/${serviceAccount}`;
}

/** The node agent's SDS API, authenticated with the pod's projected token. */
function sdsConfig(): Record<string, unknown> {
  const credentials = 'envoy.grpc_credentials.file_based_metadata';
  return {
    api_config_source: {
      api_type: 'GRPC',
      grpc_services: [
        {
          google_grpc: {
            target_uri: PROXY.sdsUdsPath,
            channel_credentials: { local_credentials: {} },
            call_credentials: [{ from_plugin: { name: credentials, config: { header_key: 'istio_sds_credentials_header-bin', secret_data: { filename: SDS_TOKEN_FILE } } } }],
            credentials_factory_name: credentials,
            stat_prefix: 'sdsstat',
          },
        },
      ],
    },
  };
}

/**
 * The certificate and peer validation of one side of a control-plane link: SDS
 * (`default` certificate, `ROOTCA` trust) on GKE, Citadel's files on-prem. `peers`
 * lists the SPIFFE identities accepted; empty accepts any certificate of the mesh.
 */
function commonTlsContext(values: MeshValues, peers: readonly string[], alpn: boolean): Record<string, unknown> {
  const sans = peers.length > 0 ? { verify_subject_alt_name: [...peers] } : {};
  const h2 = alpn ? { alpn_protocols: ['h2'] } : {};
  if (usesSds(values)) {
    return {
      ...h2,
      tls_certificate_sds_secret_configs: [{ name: 'default', sds_config: sdsConfig() }],
      combined_validation_context: {
        default_validation_context: { verify_subject_alt_name: [...peers] },
        validation_context_sds_secret_config: { name: 'ROOTCA', sds_config: sdsConfig() },
      },
    };
  }
  return {
    ...h2,
    tls_certificates: [{ certificate_chain: { filename: CERT_FILES.chain }, private_key: { filename: CERT_FILES.key } }],
    validation_context: { trusted_ca: { filename: CERT_FILES.root }, ...sans },
  };
}

/** A listener's TLS: client certificates required, from `peers` only (any mesh identity when empty). */
function serverTls(values: MeshValues, peers: readonly string[]): Record<string, unknown> {
  return { common_tls_context: commonTlsContext(values, peers, true), require_client_certificate: true };
}

/** A cluster's TLS: present the workload certificate, accept only `peers`. */
function clientTls(values: MeshValues, peers: readonly string[]): Record<string, unknown> {
  return { common_tls_context: commonTlsContext(values, peers, false) };
}

/**
 * The templates depend only on the platform and the trust domain. Each is built once
 * per platform with a stand-in trust domain (a fleet has as many trust domains as
 * projects), and the cluster's trust domain is put in by replacement: a trust domain is
 * a DNS name, so it is a plain YAML scalar wherever the stand-in was.
 */
const TRUST_DOMAIN_STAND_IN = 'trust-domain.asmpkg.invalid';
const TEMPLATES = new Map<string, string>();

/**
 * A bootstrap as the text of its ConfigMap key: JSON on one line (JSON is YAML, and what
 * Envoy reads either way), so that a kpt setter comment reaches the trust domain in the
 * SPIFFE names; no setter comment can follow a line inside a multi-line value.
 */
function bootstrapText(bootstrap: Record<string, unknown>): string {
  return JSON.stringify(bootstrap);
}
function memo(which: string, values: MeshValues, build: (v: MeshValues) => string): string {
  const key = `${which}|${usesSds(values)}`;
  let t = TEMPLATES.get(key);
  if (t === undefined) {
    t = build({ ...values, trustDomain: TRUST_DOMAIN_STAND_IN });
    TEMPLATES.set(key, t);
  }
  return t.split(TRUST_DOMAIN_STAND_IN).join(values.trustDomain);
}

const CIRCUIT_BREAKERS = { thresholds: [{ max_connections: 100000, max_pending_requests: 100000, max_requests: 100000, max_retries: 3 }] };

function admin(): Record<string, unknown> {
  return { access_log_path: '/dev/null', address: { socket_address: { address: '127.0.0.1', port_value: PROXY.proxyAdminPort } } };
}

/** A gRPC (HTTP/2) proxy listener from `address:port` to `cluster`. */
function grpcListener(name: string, address: string, port: number, vhost: string, cluster: string, tls?: Record<string, unknown>): Record<string, unknown> {
  return {
    name,
    address: { socket_address: { address, port_value: port } },
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.http_connection_manager',
            config: {
              codec_type: 'HTTP2',
              stat_prefix: String(port),
              http2_protocol_options: { max_concurrent_streams: 1073741824 },
              http_filters: [{ name: 'envoy.router' }],
              route_config: {
                name: String(port),
                virtual_hosts: [{ name: vhost, domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster, timeout: '0.000s' } }] }],
              },
            },
          },
        ],
        ...(tls ? { tls_context: tls } : {}),
      },
    ],
  };
}

function localCluster(name: string, port: number): Record<string, unknown> {
  return {
    name,
    http2_protocol_options: {},
    connect_timeout: '1.000s',
    hosts: [{ socket_address: { address: '127.0.0.1', port_value: port } }],
    circuit_breakers: CIRCUIT_BREAKERS,
  };
}

/**
 * Galley's Envoy: MCP with mTLS on 15019, forwarded to galley's plain MCP, which galley
 * serves on localhost only. Only pilot's identity may connect: pilot is MCP's only client
 * in this install, and the stream carries all mesh config.
 */
export function galleyEnvoyTemplate(values: MeshValues): string {
  return memo('galley', values, buildGalleyTemplate);
}

function buildGalleyTemplate(values: MeshValues): string {
  const mcpTls = servicePort('galley', 'grpc-tls-mcp').targetPort;
  const local = `in.${GALLEY_LOCAL_MCP_PORT}`;
  return bootstrapText({
    admin: admin(),
    static_resources: {
      clusters: [localCluster(local, GALLEY_LOCAL_MCP_PORT)],
      listeners: [grpcListener(String(mcpTls), '0.0.0.0', mcpTls, COMPONENTS.galley.workloadName, local, serverTls(values, [spiffeId(values, COMPONENTS.pilot.serviceAccount)]))],
    },
  });
}

/**
 * Pilot's Envoy: xDS with mTLS on 15011 (any mesh workload: every sidecar and gateway)
 * to discovery's 15010, and galley's MCP for discovery on localhost:15019, dialled with
 * mTLS to galley's 15019 and galley's identity checked.
 */
export function pilotEnvoyTemplate(values: MeshValues): string {
  return memo('pilot', values, buildPilotTemplate);
}

function buildPilotTemplate(values: MeshValues): string {
  const xds = servicePort('pilot', 'grpc-xds').targetPort;
  const xdsTls = servicePort('pilot', 'https-xds').targetPort;
  const galleyMcp = servicePort('galley', 'grpc-tls-mcp');
  const inXds = `in.${xds}`;
  const outGalley = `out.galley.${galleyMcp.port}`;
  return bootstrapText({
    admin: admin(),
    static_resources: {
      clusters: [
        localCluster(inXds, xds),
        {
          name: outGalley,
          http2_protocol_options: {},
          connect_timeout: '1.000s',
          type: 'STRICT_DNS',
          circuit_breakers: CIRCUIT_BREAKERS,
          hosts: [{ socket_address: { address: `${COMPONENTS.galley.service!.name}.${ISTIO_NAMESPACE}`, port_value: galleyMcp.port } }],
          tls_context: clientTls(values, [spiffeId(values, COMPONENTS.galley.serviceAccount)]),
        },
      ],
      listeners: [
        grpcListener(`in.${xdsTls}`, '0.0.0.0', xdsTls, COMPONENTS.pilot.workloadName, inXds, serverTls(values, [])),
        grpcListener(`local.${PILOT_LOCAL_GALLEY_PORT}`, '127.0.0.1', PILOT_LOCAL_GALLEY_PORT, COMPONENTS.galley.workloadName, outGalley),
      ],
    },
  });
}
