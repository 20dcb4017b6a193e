/**
 * INSTALL.md of the two profiles that are not ASM: the install order as commands with
 * the cluster's values filled in, and what the user cannot change.
 */
import { ISTIO_ADDON_GCLOUD, ISTIO_ADDON_LIMITS, ISTIO_ADDON_MTLS, ISTIO_ADDON_NAMESPACE } from '../catalog/istio-on-gke';
import type { ClusterSpec } from '../config/model';
import { INJECTION_LABEL_KEY, INJECTION_LABEL_VALUE } from '../constructs/k8s/injection-labels';
import { PACKAGE_DIRS as D, PACKAGE_FILES } from '../catalog/layout';
import { isZone } from '../util/location';

export interface GuideStep {
  readonly title: string;
  readonly commands: readonly string[];
}

export function renderSteps(steps: readonly GuideStep[]): string[] {
  return steps.flatMap((s, i) => [`${i + 1}. ${s.title}`, '', '   ```sh', ...s.commands.map((c) => `   ${c}`), '   ```', '']);
}

export function locationFlag(location: string): string {
  return isZone(location) ? `--zone ${location}` : `--region ${location}`;
}

export function credentialsCommand(spec: ClusterSpec): string {
  return `gcloud container clusters get-credentials ${spec.name} ${locationFlag(spec.location!)} --project ${spec.project!.id}`;
}

/** Config Connector's namespace for the project, then a file and a wait for what it declares. Safe to run again. */
export function configConnectorNamespace(projectId: string): string {
  return (
    `kubectl create namespace ${projectId} --dry-run=client -o yaml | kubectl apply -f - && ` +
    `kubectl annotate --overwrite namespace ${projectId} cnrm.cloud.google.com/project-id=${projectId}`
  );
}

export function servicesStep(spec: ClusterSpec): GuideStep {
  const p = spec.project!.id;
  return {
    title: `Enable the APIs: anthoscli, or ${D.configConnector}/ applied where Config Connector runs (namespace \`${p}\`, annotated with the project ID).`,
    commands: [
      `gcloud config set project ${p}`,
      '# either: anthoscli (reads the Config Connector resources)',
      `anthoscli apply -f ${D.configConnector}`,
      '# or: Config Connector, file by file',
      configConnectorNamespace(p),
      `kubectl apply -f ${PACKAGE_FILES.projectServices}`,
      `kubectl wait --for=condition=Ready --timeout=10m -n ${p} services.serviceusage.cnrm.cloud.google.com --all`,
    ],
  };
}

export function clusterStep(spec: ClusterSpec, what: string): GuideStep {
  const p = spec.project!.id;
  return {
    title: `Create ${what} (skip if anthoscli applied ${D.configConnector}/).`,
    commands: [`kubectl apply -f ${PACKAGE_FILES.cluster}`, `kubectl wait --for=condition=Ready --timeout=30m -n ${p} containercluster/${spec.name}`],
  };
}

/** Labelling namespaces asmpkg does not own: kubectl label, or the file. */
export function labelsStep(spec: ClusterSpec): GuideStep[] {
  if (spec.injectNamespaces.length === 0) {
    return [
      {
        title: 'Label the namespaces whose new pods get sidecars (none configured: set injectNamespaces, or label them yourself).',
        commands: [`kubectl label namespace NAMESPACE ${INJECTION_LABEL_KEY}=${INJECTION_LABEL_VALUE} --overwrite`],
      },
    ];
  }
  return [
    {
      title:
        `Label the application namespaces for sidecar injection. asmpkg does not own them: \`kubectl label\` changes only the label; ` +
        `${PACKAGE_FILES.injectionLabels} does the same with kubectl apply or a GitOps engine (it creates a missing namespace, and only adds the label to an existing one). ` +
        `Never \`kubectl delete -f\` that file: it would delete the namespaces with their workloads. Pods started before the label get no sidecar until restarted.`,
      commands: [
        ...spec.injectNamespaces.map((n) => `kubectl label namespace ${n} ${INJECTION_LABEL_KEY}=${INJECTION_LABEL_VALUE} --overwrite`),
        `# or: kubectl apply -f ${PACKAGE_FILES.injectionLabels}`,
        '# to undo: kubectl label namespace NAME istio-injection-',
      ],
    },
  ];
}

function valuesTable(rows: readonly [string, string][]): string[] {
  return ['| value | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | \`${v}\` |`)];
}

/** INSTALL.md of profile `istio-on-gke`. */
export function istioOnGkeGuide(spec: ClusterSpec): string {
  const mtls = ISTIO_ADDON_MTLS[spec.mesh.mtls];
  const p = spec.project!;
  const gcloud = [
    `${ISTIO_ADDON_GCLOUD} create ${spec.name} --project ${p.id} ${locationFlag(spec.location!)} \\`,
    `    --cluster-version ${spec.version} --release-channel ${spec.releaseChannel.toLowerCase()} \\`,
    `    --network ${spec.network} --subnetwork ${spec.subnetwork} \\`,
    `    --machine-type ${spec.nodePool.machineType} --num-nodes ${spec.nodePool.nodeCount} \\`,
    `    --enable-autoscaling --min-nodes ${spec.nodePool.nodeCount} --max-nodes ${spec.nodePool.maxNodeCount} \\`,
    `    --enable-stackdriver-kubernetes --addons=Istio --istio-config=auth=${mtls.gcloud}`,
  ];
  const lines = [
    `# Istio on GKE (the add-on) on \`${spec.name}\` (profile \`${spec.profile}\`)`,
    '',
    'Generated by asmpkg; re-render rather than edit. Paths are relative to this directory.',
    '',
    ...valuesTable([
      ['cluster', spec.name],
      ['GKE version', spec.version],
      ['project', `${p.id} (${p.number})`],
      ['location', spec.location!],
      ['mesh-wide mTLS', `${spec.mesh.mtls} (istioConfig.auth ${mtls.auth})`],
      ['injected namespaces', spec.injectNamespaces.join(', ') || '(none)'],
    ]),
    '',
    `Google installs and runs Istio in \`${ISTIO_ADDON_NAMESPACE}\`; this package renders nothing there. It declares the`,
    'cluster with the add-on on and labels your namespaces for sidecar injection.',
    '',
    '## Steps',
    '',
    ...renderSteps([
      servicesStep(spec),
      clusterStep(spec, `the cluster with the Istio add-on (\`addonsConfig.istioConfig: {disabled: false, auth: ${mtls.auth}}\`) and its node pool`),
      { title: 'Point kubectl at the new cluster and wait for the add-on\'s control plane.', commands: [credentialsCommand(spec), `kubectl get pods -n ${ISTIO_ADDON_NAMESPACE}`] },
      ...labelsStep(spec),
    ]),
    '## The same cluster with gcloud',
    '',
    `The add-on exists only in the GKE v1beta1 API, so gcloud needs \`beta\`. Equivalent of ${D.configConnector}/cluster.yaml:`,
    '',
    '```sh',
    ...gcloud,
    '```',
    '',
    '## What the add-on does not let you change',
    '',
    ...ISTIO_ADDON_LIMITS.map((l) => `- ${l}`),
    '',
    '## Check',
    '',
    '```sh',
    `kubectl get pods -n ${ISTIO_ADDON_NAMESPACE}`,
    `kubectl get namespace -L ${INJECTION_LABEL_KEY}`,
    '```',
    '',
  ];
  return lines.join('\n');
}
