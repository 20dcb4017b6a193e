/** INSTALL.md of profile `traffic-director` (SPEC section 14). */
import { HEALTH_CHECK_SOURCE_RANGES, NEG_STATUS_ANNOTATION, TD_ENVOY_ROLE, TD_INJECTOR, TD_INJECTOR_CERT_KEYS, TD_MANUAL_INJECTION_PROXY } from '../catalog/traffic-director';
import { TD_INJECTOR_CERTS_MANIFEST } from '../certs/secret-files';
import type { ClusterSpec } from '../config/model';
import { PACKAGE_DIRS as D } from '../catalog/layout';
import { clusterStep, credentialsCommand, GuideStep, labelsStep, renderSteps, servicesStep } from './offering-guides';
import { TD_FILES, tdServiceResourceName } from './traffic-director';

function identityText(spec: ClusterSpec): string {
  const td = spec.trafficDirector!;
  if (td.workloadIdentity) {
    return (
      `Workload Identity is on: the Envoys authenticate as the Google service account \`${td.serviceAccount}\` of the workloads, ` +
      `so that account gets \`${TD_ENVOY_ROLE}\`. Your pods' Kubernetes service accounts must be annotated ` +
      `\`iam.gke.io/gcp-service-account: ${td.serviceAccount}\` and bound to it with \`roles/iam.workloadIdentityUser\` ` +
      `(asmpkg does not know your Kubernetes service accounts; the step below shows the commands).`
    );
  }
  return (
    `Workload Identity is off: the Envoys use the node's credentials, so the node service account \`${td.serviceAccount}\`` +
    `${td.customServiceAccount ? '' : ' (the Compute Engine default)'} gets \`${TD_ENVOY_ROLE}\`, and the nodes have the cloud-platform scope.`
  );
}

/**
 * The injector's certificate Secret: the manifest `asmpkg synth` wrote to secrets/, or,
 * for a kpt package (no secrets/), made once with `asmpkg certs` outside the package.
 */
function certificateCommands(spec: ClusterSpec, from: 'files' | 'commands'): string[] {
  if (from === 'files') return [`kubectl apply -f ${TD_INJECTOR_CERTS_MANIFEST}`];
  const dir = `$HOME/asm-certs/${spec.name}/td-sidecar-injector`;
  const k = TD_INJECTOR_CERT_KEYS;
  return [
    `test -f ${dir}/key.pem || asmpkg certs --td-sidecar-injector --out ${dir} --cluster ${spec.name}`,
    `kubectl create secret generic ${TD_INJECTOR.certSecret} -n ${TD_INJECTOR.namespace} \\`,
    `  --from-file=${k.key}=${dir}/key.pem --from-file=${k.cert}=${dir}/cert-chain.pem --from-file=${k.ca}=${dir}/root-cert.pem \\`,
    '  --dry-run=client -o yaml | kubectl apply -f -',
  ];
}

export function trafficDirectorGuide(spec: ClusterSpec, options: { readonly secrets?: 'files' | 'commands' } = {}): string {
  const from = options.secrets ?? 'files';
  const td = spec.trafficDirector!;
  const p = spec.project!;
  const first = td.services[0];
  const port = td.forwardingPort === 80 ? '' : `:${td.forwardingPort}`;
  const negs = td.services.map((s) => ({ s, neg: tdServiceResourceName(spec.name, s) }));
  const namespaces = [...new Set(td.services.map((s) => s.namespace))];
  const steps: GuideStep[] = [
    servicesStep(spec),
    clusterStep(spec, 'the VPC-native cluster (nodes with the cloud-platform scope) and its node pool'),
    {
      title: `Let Google's health checkers (${HEALTH_CHECK_SOURCE_RANGES.join(', ')}) reach the pods, create the health checks, and let the Envoys read their configuration (the IAM member). Still where Config Connector runs; skip if anthoscli applied ${D.configConnector}/.`,
      commands: [`kubectl apply -f ${TD_FILES.access}`, 'KCC=$(kubectl config current-context)   # the Config Connector context, for the routing step'],
    },
    { title: 'Point kubectl at the new cluster (the following steps run there, except where --context "$KCC" says otherwise).', commands: [credentialsCommand(spec)] },
    ...(td.workloadIdentity
      ? [
          {
            title: 'Workload Identity: let each Kubernetes service account your workloads run as act as the Envoys\' Google service account.',
            commands: [
              `gcloud iam service-accounts add-iam-policy-binding ${td.serviceAccount} --role roles/iam.workloadIdentityUser --member "serviceAccount:${p.id}.svc.id.goog[NAMESPACE/KSA]"`,
              `kubectl annotate serviceaccount KSA -n NAMESPACE iam.gke.io/gcp-service-account=${td.serviceAccount}`,
            ],
          },
        ]
      : []),
    {
      title:
        `Create the injector's namespace and load its serving certificate (SAN ${TD_INJECTOR.name}.${TD_INJECTOR.namespace}.svc; ` +
        `${from === 'files' ? `kept apart in ${D.secrets}/` : `made once per cluster by \`asmpkg certs\` outside the package, in $HOME/asm-certs/${spec.name}/`}, never committed).`,
      commands: [`kubectl apply -f ${TD_FILES.namespace}`, ...certificateCommands(spec, from)],
    },
    {
      title: 'Install the sidecar injector and wait until it serves (its webhook fails pod creation in labelled namespaces while it is down).',
      commands: [`kubectl apply -f ${TD_FILES.injector}`, `kubectl rollout status deployment/${TD_INJECTOR.name} -n ${TD_INJECTOR.namespace}`],
    },
    ...labelsStep(spec),
    {
      title: 'Create the Services; GKE creates a standalone NEG per zone for each (their namespaces must exist).',
      commands: [...namespaces.map((n) => `kubectl get namespace ${n} || kubectl create namespace ${n}`), `kubectl apply -f ${TD_FILES.services}`],
    },
    {
      title:
        `Wait until the NEGs exist. GKE versions that do not take NEG names (custom names came later in 2020) generate them (\`k8s1-...\`): ` +
        `read \`${NEG_STATUS_ANNOTATION}\` and use those names in ${TD_FILES.routing} (networkEndpointGroupRef.external) before applying it.`,
      commands: negs.flatMap(({ s, neg }) => [
        `kubectl get service ${s.name} -n ${s.namespace} -o jsonpath='{.metadata.annotations.cloud\\.google\\.com/neg-status}'`,
        `gcloud compute network-endpoint-groups list --project ${p.id} --filter="name=${neg}"`,
      ]),
    },
    {
      title: `Create the backend services (one backend per zone: ${td.zones.join(', ')}), the URL map, the target HTTP proxy and the forwarding rule 0.0.0.0:${td.forwardingPort}.`,
      commands: [`kubectl --context "$KCC" apply -f ${TD_FILES.routing}`, `kubectl --context "$KCC" wait --for=condition=Ready --timeout=10m -f ${TD_FILES.routing}`],
    },
    {
      title: 'Deploy (or restart) your workloads in the labelled namespaces: new pods get the Envoy sidecar.',
      commands: namespaces.map((n) => `kubectl rollout restart deployment -n ${n}`),
    },
  ];
  const lines = [
    `# Traffic Director on \`${spec.name}\` (profile \`${spec.profile}\`)`,
    '',
    'Generated by asmpkg; re-render rather than edit. Paths are relative to this directory.',
    '',
    '| value | |',
    '|---|---|',
    `| cluster | \`${spec.name}\` |`,
    `| GKE version | \`${spec.version}\` |`,
    `| project | \`${p.id} (${p.number})\` |`,
    `| location (zones) | \`${spec.location}\` (${td.zones.join(', ')}) |`,
    `| network | \`${spec.network}\` |`,
    `| forwarding rule | \`0.0.0.0:${td.forwardingPort}\` |`,
    '',
    '| service | hosts | port -> target port | protocol | NEG / backend service |',
    '|---|---|---|---|---|',
    ...negs.map(({ s, neg }) => `| ${s.namespace}/${s.name} | ${s.hosts.join(', ')} | ${s.port} -> ${s.targetPort} | ${s.protocol} | \`${neg}\` |`),
    '',
    `Traffic Director is Google's xDS control plane: it configures the Envoy sidecars from the Compute Engine load-balancing resources in ${D.configConnector}/; no control plane runs in the cluster besides the sidecar injector.`,
    '',
    `**Identity.** ${identityText(spec)}`,
    '',
    `With anthoscli, \`anthoscli apply -f ${D.configConnector}\` creates everything in ${D.configConnector}/ at once; Config Connector retries the backend services until the NEGs exist (step "Create the Services").`,
    '',
    '## Steps',
    '',
    ...renderSteps(steps),
    '## Check',
    '',
    'From a pod in a labelled namespace (it gets a sidecar), any address on the forwarding port reaches the service of the host:',
    '',
    '```sh',
    `kubectl run client -n ${first.namespace} --image=curlimages/curl --restart=Never --command -- sleep 3600`,
    `kubectl exec -n ${first.namespace} client -c client -- curl -s -H 'Host: ${first.hosts[0]}' 10.0.0.1${port}`,
    '```',
    '',
    '## Delete',
    '',
    'In this order: the backend services before the Services (a NEG in use by a backend service cannot be deleted), and the NEGs',
    'last: they are Compute Engine resources that outlive the Services and the cluster.',
    '',
    '```sh',
    `kubectl --context "$KCC" delete -f ${TD_FILES.routing}`,
    `kubectl delete -f ${TD_FILES.services}`,
    `kubectl delete -f ${TD_FILES.injector}`,
    `kubectl --context "$KCC" delete -f ${TD_FILES.access}`,
    `kubectl --context "$KCC" delete -f ${D.configConnector}/cluster.yaml`,
    ...negs.flatMap(({ neg }) => td.zones.map((z) => `gcloud compute network-endpoint-groups delete ${neg} --zone ${z} --project ${p.id} --quiet`)),
    '```',
    '',
    `Before the injector existed (early 2020) the documented path was manual injection with \`${TD_MANUAL_INJECTION_PROXY}\`; the injector's images (${TD_INJECTOR.injectorImage}, ${TD_INJECTOR.proxyImage}) are those of its earliest public copy (late 2020).`,
    '',
  ];
  return lines.join('\n');
}
