/**
 * Every deliberate difference between asmpkg's install and what upstream Istio 1.4.6
 * renders (the istioctl 1.4.6 installer charts, SPEC §12), with the reason. This is the
 * only list: `docs/upstream-differences.md` is generated from it, and a test renders the
 * upstream charts, compares them with asmpkg's install (objects by kind/name, container
 * args, env names, ports, volumes and mounts; and the sidecars each side's injector
 * template makes of reference pods, `Pod/injected-*`) and fails on any difference no
 * entry here `covers` — and on an entry that covers nothing, so the list cannot go stale.
 *
 * `covers` holds keys of that comparison: `KIND- WHERE VALUE` when upstream has it and
 * asmpkg not, `KIND+ WHERE VALUE` the other way round (`object`, `port`, `container`,
 * `containerPort`, `arg`, `env`, `volume`, `mount`); `*` matches any run of characters.
 */

export type DifferenceArea = 'security' | 'control-plane' | 'sidecar' | 'telemetry' | 'gateway' | 'layout';

export interface UpstreamDifference {
  /** Stable kebab-case id. */
  readonly id: string;
  readonly area: DifferenceArea;
  readonly title: string;
  /** What upstream 1.4.6 renders. */
  readonly upstream: string;
  /** What asmpkg renders instead. */
  readonly asmpkg: string;
  readonly reason: string;
  /** Comparison keys this difference explains. */
  readonly covers: readonly string[];
}

export const UPSTREAM_DIFFERENCES: readonly UpstreamDifference[] = [
  // --- security ---
  {
    id: 'galley-plain-mcp-localhost',
    area: 'security',
    title: "Galley's plaintext MCP port stays inside its pod",
    upstream: 'galley serves plain MCP on 0.0.0.0:9901 (`--insecure=true`) and the istio-galley Service exposes 9901 (the seed\'s port table lists it too)',
    asmpkg: 'galley binds plain MCP to 127.0.0.1:9901 (`--server-address`); its Service and containers declare no 9901; MCP leaves the pod only through its Envoy on 15019 with mutual TLS',
    reason: 'any pod could read all mesh config (and secrets references) in plaintext from 9901; pilot reads it through the Envoys with mTLS, as upstream intends with control-plane security',
    covers: ['port- Service/istio-galley 9901', 'containerPort- Deployment/istio-galley/galley 9901', 'arg+ Deployment/istio-galley/galley --server-address=tcp://127.0.0.1:9901'],
  },
  {
    id: 'galley-mcp-port-on-proxy',
    area: 'control-plane',
    title: "Galley's mTLS MCP port is declared on the container that listens on it",
    upstream: 'the galley container declares 15019 and the istio-proxy container 9902, on which nothing listens',
    asmpkg: 'the istio-proxy container (its Envoy listens on 15019) declares 15019',
    reason: 'container ports document what listens; 9902 is a leftover of older releases',
    covers: ['containerPort- Deployment/istio-galley/galley 15019', 'containerPort- Deployment/istio-galley/istio-proxy 9902', 'containerPort+ Deployment/istio-galley/istio-proxy 15019'],
  },
  {
    id: 'hardened-security-contexts',
    area: 'security',
    title: 'Hardened security contexts: non-root, read-only root filesystem',
    upstream: 'control-plane containers run with the image defaults, writing Envoy bootstraps and probe files into the root filesystem',
    asmpkg: 'every control-plane container runs as non-root with a read-only root filesystem; what they write goes to emptyDir volumes: `istio-envoy` for the Envoys\' bootstrap (`--configPath /var/lib/istio/proxy`), `probes` for galley and `health` for the injector (/tmp)',
    reason: 'least privilege: a compromised control-plane process cannot alter its image or run as root',
    covers: [
      'volume+ Deployment/* istio-envoy',
      'mount+ Deployment/*/istio-proxy istio-envoy:*',
      'arg+ Deployment/*/istio-proxy --configPath',
      'arg+ Deployment/*/istio-proxy /var/lib/istio/proxy',
      'volume+ Deployment/istio-galley probes',
      'mount+ Deployment/istio-galley/galley probes:/tmp',
      'volume+ Deployment/istio-sidecar-injector health',
      'mount+ Deployment/istio-sidecar-injector/sidecar-injector-webhook health:/tmp',
    ],
  },
  {
    id: 'injector-container-port',
    area: 'control-plane',
    title: "The sidecar injector's port is declared",
    upstream: 'the injector listens on 9443 (`--port=9443`, the Service maps 443 to it) without declaring the container port',
    asmpkg: 'the container declares 9443',
    reason: 'container ports document what listens; probes, NetworkPolicies and people read them',
    covers: ['containerPort+ Deployment/istio-sidecar-injector/sidecar-injector-webhook 9443'],
  },
  {
    id: 'narrowed-rbac',
    area: 'security',
    title: 'Narrowed RBAC with Istio 1.4\'s binding names',
    upstream: 'cluster-wide roles bound as `<component>-admin-role-binding-istio-system`; pilot reads secrets cluster-wide; the istio-reader ClusterRole, binding and service account for multicluster readers',
    asmpkg: 'the same cluster roles less what this install never uses, bound as `<component>-istio-system`; pilot reads secrets only in istio-system (Role `istio-pilot-secrets`); no istio-reader (no multicluster remote secrets)',
    reason: 'least privilege: pilot issues no certificates here and needs secrets only for remote clusters in its own namespace; a reader identity nobody uses is an unneeded credential',
    covers: [
      'object- ClusterRoleBinding/*-admin-role-binding-istio-system',
      'object+ ClusterRoleBinding/istio-galley-istio-system',
      'object+ ClusterRoleBinding/istio-sidecar-injector-istio-system',
      'object+ Role/istio-pilot-secrets',
      'object+ RoleBinding/istio-pilot-secrets',
      'object- ClusterRole/istio-reader-istio-system',
      'object- ClusterRoleBinding/istio-reader-istio-system',
      'object- ServiceAccount/istio-reader-service-account',
    ],
  },
  {
    id: 'control-plane-certs-mounted',
    area: 'security',
    title: "Pilot's workload certificate is mounted where it is read",
    upstream: 'with SDS, pilot\'s pod mounts no `istio.istio-pilot-service-account` secret; without SDS only its Envoy mounts it',
    asmpkg: 'the `istio-certs` volume (the secret, optional) is mounted into discovery and, on GKE, also into the Envoys of pilot and galley',
    reason: 'one volume layout on both platforms; the secret is optional, so a pod never waits for one that Citadel does not write on GKE',
    covers: ['volume+ Deployment/istio-pilot istio-certs', 'mount+ Deployment/istio-pilot/discovery istio-certs:/etc/certs', 'mount+ Deployment/*/istio-proxy istio-certs:/etc/certs'],
  },
  {
    id: 'citadel-plugged-ca',
    area: 'security',
    title: "On-prem Citadel signs with the user's CA",
    upstream: 'Citadel generates a self-signed root (`--self-signed-ca=true`) and lists DNS names for many namespaces (`--custom-dns-names`)',
    asmpkg: 'Citadel signs with the `cacerts` secret (`--self-signed-ca=false`, `--signing-cert`, `--signing-key`, `--root-cert`, `--cert-chain` from /etc/cacerts), DNS names for pilot in istio-system only, monitoring on 15014, its ports declared',
    reason: 'ASM on-prem plugs in the root certificate the user provides (SPEC §8); the other namespaces are not part of this install',
    covers: [
      'arg- Deployment/istio-citadel/citadel --self-signed-ca=true',
      'arg+ Deployment/istio-citadel/citadel --self-signed-ca=false',
      'arg+ Deployment/istio-citadel/citadel --*=/etc/cacerts/*',
      'arg- Deployment/istio-citadel/citadel --custom-dns-names=*',
      'arg+ Deployment/istio-citadel/citadel --custom-dns-names=*',
      'arg+ Deployment/istio-citadel/citadel --monitoring-port=15014',
      'containerPort+ Deployment/istio-citadel/citadel *',
      'volume+ Deployment/istio-citadel cacerts',
      'mount+ Deployment/istio-citadel/citadel cacerts:/etc/cacerts',
    ],
  },
  {
    id: 'node-agent-mesh-ca-tokens',
    area: 'security',
    title: 'The node agent leaves token review to Mesh CA',
    upstream: 'the node agent reviews tokens itself',
    asmpkg: '`VALID_TOKEN=true`',
    reason: 'tokens bound for Mesh CA are reviewed by Mesh CA (ASM\'s node agent settings)',
    covers: ['env+ DaemonSet/istio-nodeagent/nodeagent VALID_TOKEN'],
  },

  // --- control plane ---
  {
    id: 'one-mesh-config',
    area: 'control-plane',
    title: 'One mesh config for every component',
    upstream: 'galley and the injector read their own copies of the mesh config (`istio-mesh-galley`, `injector-mesh`)',
    asmpkg: 'every component reads the `istio` ConfigMap',
    reason: 'one source: the copies could drift from what pilot serves',
    covers: ['object- ConfigMap/istio-mesh-galley', 'object- ConfigMap/injector-mesh'],
  },
  {
    id: 'control-plane-proxy-flags',
    area: 'control-plane',
    title: 'Control-plane Envoys: the cluster domain and ASM\'s log levels',
    upstream: "galley's Envoy runs without `--domain`; the Envoys log at pilot-agent's defaults",
    asmpkg: '`--domain $(POD_NAMESPACE).svc.cluster.local` on galley\'s Envoy as on pilot\'s, `--proxyLogLevel=warning`, `--proxyComponentLogLevel=misc:error` (the sidecars\' levels)',
    reason: 'the same proxy settings on every Envoy of the mesh',
    covers: [
      'arg+ Deployment/istio-galley/istio-proxy --domain',
      'arg+ Deployment/istio-galley/istio-proxy $(POD_NAMESPACE).svc.cluster.local',
      'arg+ Deployment/*/istio-proxy --proxyLogLevel=warning',
      'arg+ Deployment/*/istio-proxy --proxyComponentLogLevel=misc:error',
    ],
  },
  {
    id: 'pilot-env',
    area: 'control-plane',
    title: "Pilot's environment",
    upstream: '`CONFIG_NAMESPACE` (istio-config); no push throttle',
    asmpkg: 'no `CONFIG_NAMESPACE`; `PILOT_PUSH_THROTTLE=100`',
    reason: 'config comes from galley over MCP, not from a config namespace; the throttle bounds concurrent pushes, as ASM sets it',
    covers: ['env- Deployment/istio-pilot/discovery CONFIG_NAMESPACE', 'env+ Deployment/istio-pilot/discovery PILOT_PUSH_THROTTLE'],
  },
  {
    id: 'injector-flags',
    area: 'control-plane',
    title: 'Sidecar injector flags',
    upstream: '`--log_output_level=debug`, `--webhookConfigName=istio-sidecar-injector`',
    asmpkg: 'default (info) logging; the default webhook name, which is the same',
    reason: 'debug logging in production is noise (and logs every pod spec)',
    covers: ['arg- Deployment/istio-sidecar-injector/sidecar-injector-webhook --log_output_level=debug', 'arg- Deployment/istio-sidecar-injector/sidecar-injector-webhook --webhookConfigName=istio-sidecar-injector'],
  },
  {
    id: 'gcp-metadata-on-control-plane-proxies',
    area: 'control-plane',
    title: 'GKE: GCP_METADATA on every Envoy',
    upstream: 'only sidecars get `GCP_METADATA` (from `global.proxy.env`)',
    asmpkg: 'the Envoys of pilot, galley and the ingress gateway get it too',
    reason: 'Stackdriver telemetry and Mesh CA identify the cluster from it (SPEC §3)',
    covers: ['env+ Deployment/*/istio-proxy GCP_METADATA'],
  },
  // --- injected sidecars (the injector template, rendered for reference pods) ---
  {
    id: 'sidecar-asm-settings',
    area: 'sidecar',
    title: "Injected sidecars carry ASM's token service port and, on GKE, GCP_METADATA",
    upstream: 'the 1.4.6 template passes neither (`global.proxy.env` is not read by it)',
    asmpkg: '`--stsPort=15463` on every sidecar; `GCP_METADATA` (project, number, cluster, location) on GKE',
    reason: "ASM 1.4's sidecars (seed slide 39) get Stackdriver credentials through the token service and identify the cluster to Mesh CA and Stackdriver from GCP_METADATA",
    covers: ['arg+ Pod/injected-*/istio-proxy --stsPort=15463', 'env+ Pod/injected-*/istio-proxy GCP_METADATA'],
  },
  {
    id: 'sidecar-zipkin-address',
    area: 'sidecar',
    title: "Sidecars' Zipkin address resolves",
    upstream: '`--zipkinAddress zipkin.:9411`: the installer builds it from a namespace value the istio-discovery chart leaves empty',
    asmpkg: '`zipkin.istio-system:9411` (the seed\'s sidecar; spans are sent only with tracing on), or the Jaeger collector of `telemetry.jaegerAddress`',
    reason: 'an address with an empty namespace resolves nowhere',
    covers: ['arg- Pod/injected-*/istio-proxy zipkin.:9411', 'arg+ Pod/injected-*/istio-proxy zipkin.istio-system:9411'],
  },
  {
    id: 'sidecar-status-port-declared',
    area: 'sidecar',
    title: "The sidecar's status port is declared",
    upstream: 'the proxy declares only 15090 (Prometheus), though pilot-agent serves readiness on 15020',
    asmpkg: 'the status port (15020, or `status.sidecar.istio.io/port`) is declared as `http-status` too, unless that annotation is `0`',
    reason: 'container ports document what listens; the seed\'s sidecar declares it',
    covers: ['containerPort+ Pod/injected-plain/istio-proxy 15020'],
  },
  {
    id: 'sidecar-bootstrap-override',
    area: 'sidecar',
    title: '`sidecar.istio.io/bootstrapOverride` through ISTIO_BOOTSTRAP_OVERRIDE only',
    upstream: 'besides `ISTIO_BOOTSTRAP_OVERRIDE=/etc/istio/custom-bootstrap/custom_bootstrap.json`, `--templateFile=/etc/istio/custom-bootstrap/envoy_bootstrap.json`',
    asmpkg: 'the ConfigMap volume, its mount and `ISTIO_BOOTSTRAP_OVERRIDE`; no `--templateFile`',
    reason: 'the documented ConfigMap holds `custom_bootstrap.json` only: `--templateFile` replaces the whole bootstrap template with a file that is not there, and Envoy does not start (Istio dropped the flag, istio/istio#20240)',
    covers: ['arg- Pod/injected-annotated/istio-proxy --templateFile=/etc/istio/custom-bootstrap/envoy_bootstrap.json'],
  },
  {
    id: 'sidecar-user-volumes-with-sds',
    area: 'sidecar',
    title: '`sidecar.istio.io/userVolume` with SDS too',
    upstream: 'the 1.4.6 template adds the user volumes only when SDS is off, while it mounts `userVolumeMount` always',
    asmpkg: 'the user volumes on every platform',
    reason: 'on GKE (SDS) the pod would mount a volume it does not have, which the API server refuses',
    covers: ['volume+ Pod/injected-annotated extra'],
  },
  {
    id: 'singleton-without-budget',
    area: 'control-plane',
    title: 'No PodDisruptionBudget for single-replica components',
    upstream: 'Citadel (one replica) has a budget with minAvailable 1',
    asmpkg: 'budgets only where more pods run than the budget keeps',
    reason: 'a budget of 1 for a single pod blocks every node drain and upgrade',
    covers: ['object- PodDisruptionBudget/istio-citadel'],
  },

  // --- telemetry ---
  {
    id: 'promsd',
    area: 'telemetry',
    title: 'promsd instead of Mixer telemetry and the Prometheus add-on',
    upstream: 'no promsd (telemetry through Mixer or the Prometheus add-on chart)',
    asmpkg: 'promsd: Prometheus plus the Stackdriver Prometheus sidecar on GKE, with its ConfigMap, Service, service account and read-only RBAC',
    reason: 'what ASM 1.4 installs (SPEC §5, seed slides 21 and 42)',
    covers: [
      'object+ Deployment/promsd',
      'object+ ConfigMap/promsd',
      'object+ Service/promsd',
      'object+ ServiceAccount/promsd',
      'object+ ClusterRole/promsd-istio-system',
      'object+ ClusterRoleBinding/promsd-istio-system',
    ],
  },

  // --- gateway ---
  {
    id: 'ingress-gateway-sds',
    area: 'gateway',
    title: 'The ingress gateway serves TLS keys through SDS',
    upstream: 'gateway SDS is off: Gateway TLS keys are mounted from fixed secrets',
    asmpkg: 'an `ingress-sds` container (node-agent-k8s in gateway mode) serves keys from Kubernetes secrets named by Gateway resources, with `ISTIO_META_USER_SDS`, its socket volume and a Role to read secrets in istio-system',
    reason: 'Gateway TLS secrets can be added and rotated without restarting the gateway',
    covers: [
      'container+ Deployment/istio-ingressgateway ingress-sds',
      'env+ Deployment/istio-ingressgateway/istio-proxy ISTIO_META_USER_SDS',
      'volume+ Deployment/istio-ingressgateway ingressgatewaysdsudspath',
      'mount+ Deployment/istio-ingressgateway/istio-proxy ingressgatewaysdsudspath:/var/run/ingress_gateway',
      'object+ Role/istio-ingressgateway-sds',
      'object+ RoleBinding/istio-ingressgateway-sds',
    ],
  },
  {
    id: 'gateway-addresses',
    area: 'gateway',
    title: 'Fully qualified control-plane addresses on the gateway',
    upstream: '`--discoveryAddress istio-pilot:15011`, `--zipkinAddress zipkin:9411` (resolved in istio-system only)',
    asmpkg: '`istio-pilot.istio-system:15011`, `zipkin.istio-system:9411`, as the sidecars use',
    reason: 'one address form everywhere; a gateway moved to another namespace still finds pilot',
    covers: [
      'arg- Deployment/istio-ingressgateway/istio-proxy istio-pilot:15011',
      'arg+ Deployment/istio-ingressgateway/istio-proxy istio-pilot.istio-system:15011',
      'arg- Deployment/istio-ingressgateway/istio-proxy zipkin:9411',
      'arg+ Deployment/istio-ingressgateway/istio-proxy zipkin.istio-system:9411',
    ],
  },
  {
    id: 'gateway-mesh-expansion-ports',
    area: 'gateway',
    title: 'No mesh-expansion ports on the ingress gateway',
    upstream: 'the gateway container declares 15011, 8060 and 853 (pilot, Citadel and DNS for VMs)',
    asmpkg: 'only the Service\'s ports (the seed\'s table)',
    reason: 'mesh expansion (VMs) is not part of ASM 1.4\'s install; nothing routes those ports',
    covers: ['containerPort- Deployment/istio-ingressgateway/istio-proxy 15011', 'containerPort- Deployment/istio-ingressgateway/istio-proxy 8060', 'containerPort- Deployment/istio-ingressgateway/istio-proxy 853'],
  },
  {
    id: 'no-default-gateway-and-sidecar',
    area: 'gateway',
    title: 'No default Gateway or Sidecar resources',
    upstream: 'the ingress chart creates `Gateway/ingressgateway` (for apps to bind) and a `Sidecar/default` in istio-system',
    asmpkg: 'neither',
    reason: 'routing resources belong to the users who own the hosts; a mesh-wide default Sidecar changes every proxy\'s config visibility',
    covers: ['object- Gateway/ingressgateway', 'object- Sidecar/default'],
  },
];

/** Whether a comparison key matches a `covers` pattern (`*`: any run of characters). */
export function coversKey(pattern: string, key: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(key);
}

/** The entries that explain a comparison key. */
export function differencesCovering(key: string): UpstreamDifference[] {
  return UPSTREAM_DIFFERENCES.filter((d) => d.covers.some((p) => coversKey(p, key)));
}
