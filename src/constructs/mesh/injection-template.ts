/**
 * The sidecar injector's template (the `template` of the `istio-sidecar-injector`
 * ConfigMap): a Go text/template the injector evaluates per pod, producing the
 * `istio-init` iptables init container, the `istio-proxy` sidecar and their volumes
 * (SPEC section 5, the seed's slide 39).
 *
 * Package-time facts (pilot address, SDS or secret certificates, tracing) are written
 * into the text as literals from MeshValues and the proxy catalog. What depends on the
 * cluster's identity (image hub and tag, trust domain, mesh ID, GCP_METADATA, the SDS
 * token audience) is read from `.Values`, the one-line JSON `values` key of the same
 * ConfigMap (`injectorValues`, as the 1.4.6 template reads it): a kpt setter comment
 * reaches a one-line field, never a line inside this multi-line text. What depends on
 * the pod is left to the injector: the app label, namespace, ports, service account,
 * and every annotation the Istio 1.4.6 template
 * honours (`catalog/sidecar-annotations.ts`, SPEC section 12), with its semantics:
 * `proxyCPU`/`proxyMemory` set requests and drop the fixed limits, status port `0`
 * drops the readiness probe and `--statusPort`, `interceptionMode` NONE drops the init
 * container and TPROXY gives the proxy NET_ADMIN as root, and so on.
 *
 * The template uses only Go's builtins and functions of the Istio 1.4 injector
 * (`annotation`, `isset`, `index`, `valueOrDefault`, `structToJSON`, `toJSON`,
 * `fromJSON`, `applicationPorts`, `excludeInboundPort`, `contains`, `toLower`).
 * Every string that comes from the pod is written with `structToJSON`, a JSON string
 * and so a valid YAML scalar whatever it holds.
 *
 * Deliberate differences from the 1.4.6 template (the `sidecar` entries of
 * catalog/upstream-differences.ts, checked by rendering both templates): hardened
 * security contexts (no privilege escalation, all capabilities dropped,
 * read-only root filesystem; TPROXY adds only NET_ADMIN), a resources block on
 * istio-init, SDS and the projected token on GKE and the istio.<sa> secret on-prem
 * chosen at package time, the status port declared as a container port,
 * `--stsPort` and GCP_METADATA (ASM), `userVolume` honoured with SDS too (1.4.6 adds
 * the volumes only without SDS, leaving their mounts dangling), and
 * `bootstrapOverride` through ISTIO_BOOTSTRAP_OVERRIDE alone: 1.4.6 also passes
 * `--templateFile=/etc/istio/custom-bootstrap/envoy_bootstrap.json`, a file the
 * documented ConfigMap (`custom_bootstrap.json`) does not have; Istio removed it
 * (istio/istio#20240).
 */
import { PROXY } from '../../catalog/proxy';
import { CUSTOM_BOOTSTRAP, INTERCEPTION_MODES, SIDECAR_ANNOTATIONS as A, STATUS_PORT_OFF } from '../../catalog/sidecar-annotations';
import type { MeshValues } from './values';

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

// --- Go template fragments: expressions, to nest; `json` outputs one ---

/** A Go raw string literal. */
function lit(text: string): string {
  if (text.includes('`')) throw new Error(`a backquote cannot be in a Go raw string: ${text}`);
  return `\`${text}\``;
}

/** The pod's annotation, or `fallback` (a literal). */
function ann(name: string, fallback: string): string {
  return `(annotation .ObjectMeta ${lit(name)} ${lit(fallback)})`;
}

/** Whether the pod has the annotation (set, even to ""). */
function isset(name: string): string {
  return `(isset .ObjectMeta.Annotations ${lit(name)})`;
}

/** The pod's annotation value (it is set). */
function value(name: string): string {
  return `(index .ObjectMeta.Annotations ${lit(name)})`;
}

/** Output of an expression as a JSON string: a YAML scalar whatever the pod put in it. */
function json(expr: string): string {
  return `{{ structToJSON ${expr} }}`;
}

/**
 * The template's reads of the injector values (`injectorValues` in mesh-config.ts): the
 * cluster-identity fields, kept out of the multi-line template text, as expressions.
 */
export const TEMPLATE_VALUES = {
  hub: '.Values.global.hub',
  tag: '.Values.global.tag',
  proxyImage: `(print .Values.global.hub ${lit('/')} .Values.global.proxy.image ${lit(':')} .Values.global.tag)`,
  initImage: `(print .Values.global.hub ${lit('/')} .Values.global.proxy_init.image ${lit(':')} .Values.global.tag)`,
  trustDomain: '.Values.global.trustDomain',
  /** Istio's own rule: the mesh ID, else the trust domain. */
  meshId: '(valueOrDefault .Values.global.meshID .Values.global.trustDomain)',
  gcpMetadata: '.Values.global.proxy.env.GCP_METADATA',
  sdsAudience: '.Values.global.sds.token.aud',
} as const;

/** Template variables set once at the top. */
const MODE = '$interceptionMode';
const STATUS_PORT = '$statusPort';
const STATUS_ON = `(ne ${STATUS_PORT} ${lit(STATUS_PORT_OFF)})`;
const TPROXY = `(eq ${MODE} ${lit(INTERCEPTION_MODES.tproxy)})`;

/** A YAML list item per entry: literals quoted here, `{ expr }` rendered by the injector as JSON strings. */
type Item = string | { readonly expr: string } | { readonly raw: string };

function items(indent: string, entries: readonly Item[]): string[] {
  return entries.map((e) => (typeof e === 'string' ? `${indent}- ${q(e)}` : 'expr' in e ? `${indent}- ${json(e.expr)}` : e.raw));
}

/**
 * The pilot-agent arguments of the injected sidecar, in the order ASM 1.4.6 runs
 * them (seed slide 39); pod-dependent ones are template expressions or blocks.
 */
function sidecarArgs(values: MeshValues): Item[] {
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
    { expr: `(print (valueOrDefault (index .ObjectMeta.Labels ${lit('app')}) (valueOrDefault .DeploymentMeta.Name ${lit('istio-proxy')})) ${lit('.$(POD_NAMESPACE)')})` },
    '--drainDuration',
    PROXY.drainDuration,
    '--parentShutdownDuration',
    PROXY.parentShutdownDuration,
    '--discoveryAddress',
    { expr: ann(A.discoveryAddress, PROXY.discoveryAddress) },
    ...(zipkin ? ['--zipkinAddress', zipkin] : []),
    { expr: `(print ${lit('--proxyLogLevel=')} ${ann(A.logLevel, PROXY.logLevel)})` },
    { expr: `(print ${lit('--proxyComponentLogLevel=')} ${ann(A.componentLogLevel, PROXY.componentLogLevel)})` },
    '--connectTimeout',
    PROXY.connectTimeout,
    '--proxyAdminPort',
    String(PROXY.proxyAdminPort),
    '--concurrency',
    String(PROXY.concurrency),
    '--controlPlaneAuthPolicy',
    { expr: ann(A.controlPlaneAuthPolicy, PROXY.controlPlaneAuthPolicy) },
    '--dnsRefreshRate',
    PROXY.dnsRefreshRate,
    // Status port 0: no readiness endpoint (Istio 1.4.6 drops both flags).
    { raw: `  {{- if ${STATUS_ON} }}` },
    '--statusPort',
    { expr: STATUS_PORT },
    '--applicationPorts',
    { expr: `(annotation .ObjectMeta ${lit(A.readinessApplicationPorts)} (applicationPorts .Spec.Containers))` },
    { raw: '  {{- end }}' },
    `--stsPort=${PROXY.stsPort}`,
    { expr: `(print ${lit('--trust-domain=')} ${TEMPLATE_VALUES.trustDomain})` },
  ];
}

/** The `istio-init` container's istio-iptables arguments. */
function initArgs(): Item[] {
  return [
    '-p',
    String(PROXY.outboundCapturePort),
    '-z',
    String(PROXY.inboundCapturePort),
    '-u',
    String(PROXY.uid),
    '-m',
    { expr: MODE },
    '-i',
    { expr: ann(A.includeOutboundIPRanges, '*') },
    '-x',
    { expr: ann(A.excludeOutboundIPRanges, '') },
    '-b',
    { expr: ann(A.includeInboundPorts, '*') },
    '-d',
    { expr: EXCLUDE_INBOUND },
    { raw: `  {{- if ${isset(A.excludeOutboundPorts)} }}` },
    '-o',
    { expr: value(A.excludeOutboundPorts) },
    { raw: '  {{- end }}' },
    { raw: `  {{- if ${isset(A.kubevirtInterfaces)} }}` },
    '-k',
    { expr: value(A.kubevirtInterfaces) },
    { raw: '  {{- end }}' },
  ];
}

/** Inbound ports left alone: the annotation's, plus the status port (kubelet probes it directly). */
const EXCLUDE_INBOUND = `(excludeInboundPort ${STATUS_PORT} ${ann(A.excludeInboundPorts, '')})`;

function resources(indent: string, r: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } }): string[] {
  return [
    `${indent}resources:`,
    `${indent}  requests:`,
    `${indent}    cpu: ${q(r.requests.cpu)}`,
    `${indent}    memory: ${q(r.requests.memory)}`,
    `${indent}  limits:`,
    `${indent}    cpu: ${q(r.limits.cpu)}`,
    `${indent}    memory: ${q(r.limits.memory)}`,
  ];
}

/**
 * The proxy's resources: the fixed requests and limits, or, when the pod sets
 * `proxyCPU` or `proxyMemory`, those requests and no limits (as Istio 1.4.6: a request
 * above a fixed limit is a pod the API server refuses).
 */
function proxyResources(): string[] {
  return [
    '  resources:',
    `  {{- if or ${isset(A.proxyCPU)} ${isset(A.proxyMemory)} }}`,
    '    requests:',
    `    {{- if ${isset(A.proxyCPU)} }}`,
    `      cpu: ${json(value(A.proxyCPU))}`,
    '    {{- end }}',
    `    {{- if ${isset(A.proxyMemory)} }}`,
    `      memory: ${json(value(A.proxyMemory))}`,
    '    {{- end }}',
    '  {{- else }}',
    ...resources('  ', PROXY.resources).slice(1),
    '  {{- end }}',
  ];
}

/**
 * Entries of a JSON-map annotation (`name -> object`) as YAML list items `- name: …`
 * with the object's fields, each field a JSON value (valid YAML in flow style).
 * Ranging over a map is in sorted key order in Go, so the output is deterministic.
 */
function jsonMapItems(indent: string, annotationName: string): string[] {
  return [
    `${indent}{{- if ${isset(annotationName)} }}`,
    `${indent}{{- range $name, $entry := fromJSON ${value(annotationName)} }}`,
    `${indent}- name: {{ structToJSON $name }}`,
    `${indent}  {{- range $field, $value := $entry }}`,
    `${indent}  {{ structToJSON $field }}: {{ structToJSON $value }}`,
    `${indent}  {{- end }}`,
    `${indent}{{- end }}`,
    `${indent}{{- end }}`,
  ];
}

function env(name: string, value: string): string[] {
  return [`  - name: ${name}`, `    value: ${q(value)}`];
}

function envExpr(name: string, expr: string): string[] {
  return [`  - name: ${name}`, `    value: ${json(expr)}`];
}

function fieldEnv(name: string, fieldPath: string): string[] {
  return [`  - name: ${name}`, '    valueFrom:', '      fieldRef:', `        fieldPath: ${fieldPath}`];
}

/** The proxy image: the annotation's (a full reference, or an image name on the mesh's hub and tag), else ASM's. */
function proxyImageLine(): string {
  const image = `(annotation .ObjectMeta ${lit(A.proxyImage)} ${TEMPLATE_VALUES.proxyImage})`;
  const onHub = `(print ${TEMPLATE_VALUES.hub} ${lit('/')} ${image} ${lit(':')} ${TEMPLATE_VALUES.tag})`;
  return `  image: {{ if contains ${lit('/')} ${image} }}${json(image)}{{ else }}${json(onHub)}{{ end }}`;
}

/** The injector template text for a mesh. */
export function injectionTemplate(values: MeshValues): string {
  const sds = usesSds(values);
  const lines: string[] = [
    `{{- ${MODE} := ${ann(A.interceptionMode, INTERCEPTION_MODES.redirect)} }}`,
    `{{- ${STATUS_PORT} := ${ann(A.statusPort, String(PROXY.statusPort))} }}`,
    'rewriteAppHTTPProbe: false',
    // NONE: no traffic capture, so no iptables init container (Istio 1.4.6).
    `{{- if ne ${MODE} ${lit(INTERCEPTION_MODES.none)} }}`,
    'initContainers:',
    '- name: istio-init',
    `  image: ${json(TEMPLATE_VALUES.initImage)}`,
    '  command:',
    '  - istio-iptables',
    '  args:',
    ...items('  ', initArgs()),
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
    '{{- end }}',
    'containers:',
    '- name: istio-proxy',
    proxyImageLine(),
    '  ports:',
    `  - containerPort: ${PROXY.prometheusPort}`,
    '    protocol: TCP',
    '    name: http-envoy-prom',
    `  {{- if ${STATUS_ON} }}`,
    `  - containerPort: {{ ${STATUS_PORT} }}`,
    '    protocol: TCP',
    '    name: http-status',
    '  {{- end }}',
    '  args:',
    ...items('  ', sidecarArgs(values)),
    '  env:',
    ...fieldEnv('POD_NAME', 'metadata.name'),
    ...fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
    ...fieldEnv('INSTANCE_IP', 'status.podIP'),
    ...fieldEnv('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    ...fieldEnv('HOST_IP', 'status.hostIP'),
    // The pod's container ports as JSON (corev1.ContainerPort), as Istio 1.4.6 sets them.
    '  - name: ISTIO_META_POD_PORTS',
    '    value: |-',
    '      [{{ $first := true }}{{ range $c := .Spec.Containers }}{{ range $p := $c.Ports }}{{ if not $first }},{{ end }}{{ structToJSON $p }}{{ $first = false }}{{ end }}{{ end }}]',
    ...env('ISTIO_META_CLUSTER_ID', 'Kubernetes'),
    ...fieldEnv('ISTIO_META_POD_NAME', 'metadata.name'),
    ...fieldEnv('ISTIO_META_CONFIG_NAMESPACE', 'metadata.namespace'),
    ...env('SDS_ENABLED', sds ? 'true' : 'false'),
    ...envExpr('ISTIO_META_INTERCEPTION_MODE', MODE),
    ...envExpr('ISTIO_META_INCLUDE_INBOUND_PORTS', `(annotation .ObjectMeta ${lit(A.includeInboundPorts)} (applicationPorts .Spec.Containers))`),
    // All annotations, JSON in a block scalar: pilot-agent reads statsInclusion* from here.
    '  {{- if .ObjectMeta.Annotations }}',
    '  - name: ISTIO_METAJSON_ANNOTATIONS',
    '    value: |',
    '      {{ toJSON .ObjectMeta.Annotations }}',
    '  {{- end }}',
    '  - name: ISTIO_METAJSON_LABELS',
    '    value: |',
    '      {{ toJSON .ObjectMeta.Labels }}',
    '  {{- if .DeploymentMeta.Name }}',
    ...envExpr('ISTIO_META_WORKLOAD_NAME', '.DeploymentMeta.Name'),
    '  {{- end }}',
    '  {{- if and .TypeMeta.APIVersion .DeploymentMeta.Name }}',
    ...envExpr(
      'ISTIO_META_OWNER',
      `(print ${lit('kubernetes://apis/')} .TypeMeta.APIVersion ${lit('/namespaces/')} (valueOrDefault .DeploymentMeta.Namespace ${lit('default')}) ${lit('/')} (toLower .TypeMeta.Kind) ${lit('s/')} .DeploymentMeta.Name)`,
    ),
    '  {{- end }}',
    `  {{- if ${isset(A.bootstrapOverride)} }}`,
    ...env('ISTIO_BOOTSTRAP_OVERRIDE', CUSTOM_BOOTSTRAP.file),
    '  {{- end }}',
    ...envExpr('ISTIO_META_MESH_ID', TEMPLATE_VALUES.meshId),
    ...(values.platform === 'gke' && values.gcpMetadata ? envExpr('GCP_METADATA', TEMPLATE_VALUES.gcpMetadata) : []),
    ...(values.telemetry.tracing === 'stackdriver' ? env('STACKDRIVER_TRACING_ENABLED', 'true') : []),
    '  imagePullPolicy: IfNotPresent',
    `  {{- if ${STATUS_ON} }}`,
    '  readinessProbe:',
    '    httpGet:',
    '      path: /healthz/ready',
    `      port: {{ ${STATUS_PORT} }}`,
    `    initialDelaySeconds: {{ ${ann(A.readinessInitialDelaySeconds, String(PROXY.readiness.initialDelaySeconds))} }}`,
    `    periodSeconds: {{ ${ann(A.readinessPeriodSeconds, String(PROXY.readiness.periodSeconds))} }}`,
    `    failureThreshold: {{ ${ann(A.readinessFailureThreshold, String(PROXY.readiness.failureThreshold))} }}`,
    '  {{- end }}',
    '  securityContext:',
    '    allowPrivilegeEscalation: false',
    '    capabilities:',
    // TPROXY: Envoy binds transparent sockets, which takes NET_ADMIN as root (Istio 1.4.6).
    `      {{- if ${TPROXY} }}`,
    '      add:',
    '      - NET_ADMIN',
    '      {{- end }}',
    '      drop:',
    '      - ALL',
    '    privileged: false',
    '    readOnlyRootFilesystem: true',
    `    runAsGroup: ${PROXY.uid}`,
    `    {{- if ${TPROXY} }}`,
    '    runAsNonRoot: false',
    '    runAsUser: 0',
    '    {{- else }}',
    '    runAsNonRoot: true',
    `    runAsUser: ${PROXY.uid}`,
    '    {{- end }}',
    ...proxyResources(),
    '  volumeMounts:',
    `  {{- if ${isset(A.bootstrapOverride)} }}`,
    `  - mountPath: ${CUSTOM_BOOTSTRAP.mountPath}`,
    `    name: ${CUSTOM_BOOTSTRAP.volume}`,
    '    readOnly: true',
    '  {{- end }}',
    `  - mountPath: ${PROXY.configPath}`,
    '    name: istio-envoy',
    ...(sds
      ? [`  - mountPath: ${PROXY.sdsUdsDir}`, '    name: sds-uds-path', '    readOnly: true', '  - mountPath: /var/run/secrets/tokens', '    name: istio-token']
      : ['  - mountPath: /etc/certs/', '    name: istio-certs', '    readOnly: true']),
    ...jsonMapItems('  ', A.userVolumeMount),
    'volumes:',
    `{{- if ${isset(A.bootstrapOverride)} }}`,
    `- name: ${CUSTOM_BOOTSTRAP.volume}`,
    '  configMap:',
    `    name: ${json(value(A.bootstrapOverride))}`,
    '{{- end }}',
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
          `        audience: ${json(TEMPLATE_VALUES.sdsAudience)}`,
        ]
      : [
          '- name: istio-certs',
          '  secret:',
          '    optional: true',
          `    secretName: ${json(`(print ${lit('istio.')} (valueOrDefault .Spec.ServiceAccountName ${lit('default')}))`)}`,
        ]),
    ...jsonMapItems('', A.userVolume),
    // Read by the injector when Istio CNI sets up capture instead of istio-init.
    'podRedirectAnnot:',
    `  ${A.interceptionMode}: ${json(MODE)}`,
    `  ${A.includeOutboundIPRanges}: ${json(ann(A.includeOutboundIPRanges, '*'))}`,
    `  ${A.excludeOutboundIPRanges}: ${json(ann(A.excludeOutboundIPRanges, ''))}`,
    `  ${A.includeInboundPorts}: ${json(`(annotation .ObjectMeta ${lit(A.includeInboundPorts)} (includeInboundPorts .Spec.Containers))`)}`,
    `  ${A.excludeInboundPorts}: ${json(EXCLUDE_INBOUND)}`,
    `  ${A.excludeOutboundPorts}: ${json(ann(A.excludeOutboundPorts, ''))}`,
  ];
  return lines.join('\n') + '\n';
}
