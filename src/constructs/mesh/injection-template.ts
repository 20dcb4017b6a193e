/**
 * The sidecar injector's template (the `template` of the `istio-sidecar-injector`
 * ConfigMap): a Go text/template the injector evaluates per pod, producing the
 * `istio-init` iptables init container, the `istio-proxy` sidecar and their volumes
 * (SPEC section 5, the seed's slide 39).
 *
 * Package-time facts (trust domain, pilot address, SDS or secret certificates,
 * GCP_METADATA, tracing) are written into the text as literals from MeshValues and
 * the proxy catalog; only what depends on the pod is left to the injector: the app
 * label, namespace, ports, annotations and service account. The template uses only
 * functions of the Istio 1.4 injector (`annotation`, `valueOrDefault`, `index`,
 * `applicationPorts`, `includeInboundPorts`, `excludeInboundPort`, `toJSON`, `toLower`).
 */
import { imageRef } from '../../catalog/release';
import { PROXY } from '../../catalog/proxy';
import type { MeshValues } from './values';

/** Go template fragment: an annotation of the pod, or `fallback` (a literal). */
function annotation(name: string, fallback: string): string {
  return `{{ annotation .ObjectMeta \`${name}\` \`${fallback}\` }}`;
}

/** A YAML double-quoted scalar (JSON strings are valid YAML). */
function q(text: string): string {
  return JSON.stringify(text);
}

/**
 * Address the sidecar sends Zipkin-API spans to, or undefined when it uses Stackdriver.
 * Jaeger needs its collector's address: asmpkg installs none (the config refuses
 * `tracing: jaeger` without `jaegerAddress`).
 */
export function zipkinAddress(values: MeshValues): string | undefined {
  const t = values.telemetry;
  if (t.tracing === 'stackdriver') return undefined;
  if (t.tracing === 'jaeger') {
    if (!t.jaegerAddress) throw new Error('telemetry.tracing "jaeger" without telemetry.jaegerAddress (the config validation refuses it)');
    return t.jaegerAddress;
  }
  return PROXY.zipkinAddress;
}

/** Whether the proxies get certificates over SDS from the node agent (GKE) rather than a secret (on-prem). */
export function usesSds(values: MeshValues): boolean {
  return values.platform === 'gke';
}

/** The audience of the projected token proxies present to the node agent: the SDS token audience, else the trust domain. */
export function sdsAudience(values: MeshValues): string {
  return values.sdsTokenAudience ?? values.trustDomain;
}

/**
 * The pilot-agent arguments of the injected sidecar, in the order ASM 1.4.6 runs
 * them (seed slide 39). Pod-dependent ones are Go template expressions.
 */
export function sidecarArgs(values: MeshValues): string[] {
  const zipkin = zipkinAddress(values);
  return [
    'proxy',
    'sidecar',
    '--domain',
    `$(POD_NAMESPACE).svc.${PROXY.clusterDomain}`,
    '--configPath',
    PROXY.configPath,
    '--binaryPath',
    PROXY.binaryPath,
    '--serviceCluster',
    '{{ valueOrDefault (index .ObjectMeta.Labels `app`) (valueOrDefault .DeploymentMeta.Name `istio-proxy`) }}.$(POD_NAMESPACE)',
    '--drainDuration',
    PROXY.drainDuration,
    '--parentShutdownDuration',
    PROXY.parentShutdownDuration,
    '--discoveryAddress',
    PROXY.discoveryAddress,
    ...(zipkin ? ['--zipkinAddress', zipkin] : []),
    `--proxyLogLevel=${PROXY.logLevel}`,
    `--proxyComponentLogLevel=${PROXY.componentLogLevel}`,
    '--connectTimeout',
    PROXY.connectTimeout,
    '--proxyAdminPort',
    String(PROXY.proxyAdminPort),
    '--concurrency',
    String(PROXY.concurrency),
    '--controlPlaneAuthPolicy',
    PROXY.controlPlaneAuthPolicy,
    '--dnsRefreshRate',
    PROXY.dnsRefreshRate,
    '--statusPort',
    annotation('status.sidecar.istio.io/port', String(PROXY.statusPort)),
    '--applicationPorts',
    '{{ annotation .ObjectMeta `readiness.status.sidecar.istio.io/applicationPorts` (applicationPorts .Spec.Containers) }}',
    `--stsPort=${PROXY.stsPort}`,
    `--trust-domain=${values.trustDomain}`,
  ];
}

/** The `istio-init` container's iptables arguments (REDIRECT interception, the only mode ASM supports). */
export function initArgs(): string[] {
  return [
    '-p',
    String(PROXY.outboundCapturePort),
    '-z',
    String(PROXY.inboundCapturePort),
    '-u',
    String(PROXY.uid),
    '-m',
    'REDIRECT',
    '-i',
    annotation('traffic.sidecar.istio.io/includeOutboundIPRanges', '*'),
    '-x',
    annotation('traffic.sidecar.istio.io/excludeOutboundIPRanges', ''),
    '-b',
    annotation('traffic.sidecar.istio.io/includeInboundPorts', '*'),
    '-d',
    `{{ excludeInboundPort ${inner(annotation('status.sidecar.istio.io/port', String(PROXY.statusPort)))} ${inner(annotation('traffic.sidecar.istio.io/excludeInboundPorts', ''))} }}`,
  ];
}

/** `{{ f x }}` -> `(f x)`, to nest an action as an argument. */
function inner(action: string): string {
  return `(${action.slice(3, -3)})`;
}

function list(indent: string, items: readonly string[]): string[] {
  return items.map((i) => `${indent}- ${q(i)}`);
}

function resources(indent: string, r: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } }, cpu?: string, memory?: string): string[] {
  return [
    `${indent}resources:`,
    `${indent}  requests:`,
    `${indent}    cpu: ${q(cpu ?? r.requests.cpu)}`,
    `${indent}    memory: ${q(memory ?? r.requests.memory)}`,
    `${indent}  limits:`,
    `${indent}    cpu: ${q(r.limits.cpu)}`,
    `${indent}    memory: ${q(r.limits.memory)}`,
  ];
}

function env(name: string, value: string): string[] {
  return [`  - name: ${name}`, `    value: ${q(value)}`];
}

function fieldEnv(name: string, fieldPath: string): string[] {
  return [`  - name: ${name}`, '    valueFrom:', '      fieldRef:', `        fieldPath: ${fieldPath}`];
}

/** The injector template text for a mesh. */
export function injectionTemplate(values: MeshValues): string {
  const proxyImage = imageRef(values.release, 'proxy', values.hub, values.tag);
  const sds = usesSds(values);
  const lines: string[] = [
    'rewriteAppHTTPProbe: false',
    'initContainers:',
    '- name: istio-init',
    `  image: ${q(proxyImage)}`,
    '  command:',
    '  - istio-iptables',
    '  args:',
    ...list('  ', initArgs()),
    '  imagePullPolicy: IfNotPresent',
    ...resources('  ', PROXY.initResources),
    '  securityContext:',
    '    allowPrivilegeEscalation: false',
    '    capabilities:',
    '      add:',
    '      - NET_ADMIN',
    '      - NET_RAW',
    '      drop:',
    '      - ALL',
    '    privileged: false',
    '    readOnlyRootFilesystem: false',
    '    runAsGroup: 0',
    '    runAsNonRoot: false',
    '    runAsUser: 0',
    'containers:',
    '- name: istio-proxy',
    `  image: ${q(proxyImage)}`,
    '  ports:',
    `  - containerPort: ${PROXY.prometheusPort}`,
    '    protocol: TCP',
    '    name: http-envoy-prom',
    `  - containerPort: ${PROXY.statusPort}`,
    '    protocol: TCP',
    '    name: http-status',
    '  args:',
    ...list('  ', sidecarArgs(values)),
    '  env:',
    ...fieldEnv('POD_NAME', 'metadata.name'),
    ...fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
    ...fieldEnv('INSTANCE_IP', 'status.podIP'),
    ...fieldEnv('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    ...fieldEnv('ISTIO_META_POD_NAME', 'metadata.name'),
    ...fieldEnv('ISTIO_META_CONFIG_NAMESPACE', 'metadata.namespace'),
    ...env('ISTIO_META_CLUSTER_ID', 'Kubernetes'),
    ...env('SDS_ENABLED', sds ? 'true' : 'false'),
    ...env('ISTIO_META_INTERCEPTION_MODE', 'REDIRECT'),
    ...env('ISTIO_META_INCLUDE_INBOUND_PORTS', '{{ annotation .ObjectMeta `traffic.sidecar.istio.io/includeInboundPorts` (applicationPorts .Spec.Containers) }}'),
    // JSON in a block scalar: quotes in it need no escaping
    '  - name: ISTIO_METAJSON_LABELS',
    '    value: |',
    '      {{ toJSON .ObjectMeta.Labels }}',
    '  {{- if .DeploymentMeta.Name }}',
    ...env('ISTIO_META_WORKLOAD_NAME', '{{ .DeploymentMeta.Name }}'),
    '  {{- end }}',
    '  {{- if and .TypeMeta.APIVersion .DeploymentMeta.Name }}',
    ...env(
      'ISTIO_META_OWNER',
      'kubernetes://apis/{{ .TypeMeta.APIVersion }}/namespaces/{{ valueOrDefault .DeploymentMeta.Namespace `default` }}/{{ toLower .TypeMeta.Kind }}s/{{ .DeploymentMeta.Name }}',
    ),
    '  {{- end }}',
    ...env('ISTIO_META_MESH_ID', values.meshId ?? values.trustDomain),
    ...(values.platform === 'gke' && values.gcpMetadata ? env('GCP_METADATA', values.gcpMetadata) : []),
    ...(values.telemetry.tracing === 'stackdriver' ? env('STACKDRIVER_TRACING_ENABLED', 'true') : []),
    '  imagePullPolicy: IfNotPresent',
    '  readinessProbe:',
    '    httpGet:',
    '      path: /healthz/ready',
    `      port: ${annotation('status.sidecar.istio.io/port', String(PROXY.statusPort))}`,
    `    initialDelaySeconds: ${annotation('readiness.status.sidecar.istio.io/initialDelaySeconds', String(PROXY.readiness.initialDelaySeconds))}`,
    `    periodSeconds: ${annotation('readiness.status.sidecar.istio.io/periodSeconds', String(PROXY.readiness.periodSeconds))}`,
    `    failureThreshold: ${annotation('readiness.status.sidecar.istio.io/failureThreshold', String(PROXY.readiness.failureThreshold))}`,
    '  securityContext:',
    '    allowPrivilegeEscalation: false',
    '    capabilities:',
    '      drop:',
    '      - ALL',
    '    privileged: false',
    '    readOnlyRootFilesystem: true',
    `    runAsGroup: ${PROXY.uid}`,
    '    runAsNonRoot: true',
    `    runAsUser: ${PROXY.uid}`,
    ...resources(
      '  ',
      PROXY.resources,
      annotation('sidecar.istio.io/proxyCPU', PROXY.resources.requests.cpu),
      annotation('sidecar.istio.io/proxyMemory', PROXY.resources.requests.memory),
    ),
    '  volumeMounts:',
    `  - mountPath: ${PROXY.configPath}`,
    '    name: istio-envoy',
    ...(sds
      ? [`  - mountPath: ${PROXY.sdsUdsDir}`, '    name: sds-uds-path', '    readOnly: true', '  - mountPath: /var/run/secrets/tokens', '    name: istio-token']
      : ['  - mountPath: /etc/certs/', '    name: istio-certs', '    readOnly: true']),
    'volumes:',
    '- name: istio-envoy',
    '  emptyDir:',
    '    medium: Memory',
    ...(sds
      ? [
          '- name: sds-uds-path',
          '  hostPath:',
          `    path: ${PROXY.sdsUdsDir}`,
          '- name: istio-token',
          '  projected:',
          '    sources:',
          '    - serviceAccountToken:',
          '        path: istio-token',
          `        expirationSeconds: ${PROXY.sdsTokenExpirationSeconds}`,
          `        audience: ${q(sdsAudience(values))}`,
        ]
      : [
          '- name: istio-certs',
          '  secret:',
          '    optional: true',
          '    secretName: "istio.{{ valueOrDefault .Spec.ServiceAccountName `default` }}"',
        ]),
    'podRedirectAnnot:',
    '  sidecar.istio.io/interceptionMode: "REDIRECT"',
    `  traffic.sidecar.istio.io/includeOutboundIPRanges: ${q(annotation('traffic.sidecar.istio.io/includeOutboundIPRanges', '*'))}`,
    `  traffic.sidecar.istio.io/excludeOutboundIPRanges: ${q(annotation('traffic.sidecar.istio.io/excludeOutboundIPRanges', ''))}`,
    `  traffic.sidecar.istio.io/includeInboundPorts: ${q('{{ annotation .ObjectMeta `traffic.sidecar.istio.io/includeInboundPorts` (includeInboundPorts .Spec.Containers) }}')}`,
    `  traffic.sidecar.istio.io/excludeInboundPorts: ${q(initArgs()[initArgs().length - 1])}`,
  ];
  return lines.join('\n') + '\n';
}
