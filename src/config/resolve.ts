import { DEFAULT_RELEASE, RELEASES } from '../catalog/release';
import { DEFAULT_CA_ALGORITHM, DEFAULT_CA_VALIDITY_DAYS, DEFAULT_ORGANIZATION, DEFAULT_ROOT_VALIDITY_DAYS } from '../certs/types';
import { workloadPool } from './derive';
import { parsePlatformVersion, minorOf } from '../util/version';
import type { ClusterInput } from './load';
import type { ClusterSpec, DeliverySpec, FleetDelivery } from './model';
import type { ConfigInput } from './load';
import { platformVersions } from './rules';
import { meshMtlsDefault, telemetryDefaults } from './support-rules';
import { normalizeNamespacePolicy } from './mesh-options';
import { isAsmProfile } from '../catalog/profiles';
import { resolveOfferingFields } from './offerings';

/** What a generated CA uses when the config does not say: the certs module's defaults. */
const CA_DEFAULTS = {
  algorithm: DEFAULT_CA_ALGORITHM,
  rootValidityDays: DEFAULT_ROOT_VALIDITY_DAYS,
  validityDays: DEFAULT_CA_VALIDITY_DAYS,
  organization: DEFAULT_ORGANIZATION,
};

/** GKE node pool names are at most 40 characters. */
function defaultNodePoolName(cluster: string): string {
  return `${cluster.slice(0, 35)}-pool`;
}

/**
 * Fills every default and derives what follows from the release and platform version.
 * Input must have passed validation (`parseConfig`).
 */
export function resolveCluster(c: ClusterInput, fleet?: Pick<ConfigInput, 'gitops' | 'secrets'>): ClusterSpec {
  const release = RELEASES.get(c.release ?? DEFAULT_RELEASE)!;
  const version = parsePlatformVersion(c.version)!;
  const platform = platformVersions(c.profile).table.find((t) => t.minor === minorOf(version))!;
  // The other meshes take no mesh or telemetry options (config/offerings.ts refuses them);
  // their spec carries gke's defaults, which nothing of theirs reads.
  const asmProfile = isAsmProfile(c.profile) ? c.profile : 'gke';
  const telemetry = { ...telemetryDefaults(asmProfile), ...c.telemetry };
  const trustDomain = c.project && c.profile !== 'onprem' ? workloadPool(c.project.id) : (c.trustDomain ?? release.defaultTrustDomain);
  return {
    name: c.name,
    profile: c.profile,
    release,
    version: c.version,
    kubernetesVersion: platform.kubernetes,
    project: c.project,
    location: c.location,
    nodePool: {
      name: c.nodePool.name ?? defaultNodePoolName(c.name),
      machineType: c.nodePool.machineType,
      nodeCount: c.nodePool.nodeCount,
      maxNodeCount: c.nodePool.maxNodeCount ?? c.nodePool.nodeCount,
    },
    network: c.network ?? 'default',
    subnetwork: c.subnetwork ?? 'default',
    releaseChannel: c.releaseChannel ?? 'REGULAR',
    kcc: c.kcc ?? 'current',
    adminUser: c.adminUser,
    trustDomain,
    hub: release.hub,
    tag: release.tag,
    ingress: { loadBalancerIP: c.ingress?.loadBalancerIP, nodePorts: c.ingress?.nodePorts ?? {} },
    certificates: { ...CA_DEFAULTS, ...c.certificates },
    mesh: {
      mtls: (c.mesh?.mtls ?? meshMtlsDefault(asmProfile)) as 'PERMISSIVE' | 'STRICT',
      outboundTrafficPolicy: (c.mesh?.outboundTrafficPolicy as 'ALLOW_ANY' | 'REGISTRY_ONLY' | undefined) ?? 'ALLOW_ANY',
      egressGateway: c.mesh?.egressGateway ?? false,
      namespacePolicies: (c.mesh?.namespacePolicies ?? []).map(normalizeNamespacePolicy),
    },
    telemetry: telemetry as ClusterSpec['telemetry'],
    ...resolveOfferingFields(c),
    ...(fleet && (fleet.gitops || fleet.secrets) ? { delivery: resolveDelivery(c, fleet) } : {}),
  };
}

function resolveDelivery(c: ClusterInput, fleet: Pick<ConfigInput, 'gitops' | 'secrets'>): DeliverySpec {
  const secrets = fleet.secrets?.mode ?? 'files';
  return {
    ...(fleet.gitops ? { engine: fleet.gitops.engine } : {}),
    wave: c.wave ?? 0,
    ...(c.gitops?.destination ? { destination: c.gitops.destination } : {}),
    secrets,
    ...(secrets === 'external' && fleet.secrets?.store ? { store: fleet.secrets.store } : {}),
  };
}

/** The fleet's delivery blocks with defaults filled. */
export function resolveFleetDelivery(config: Pick<ConfigInput, 'gitops' | 'secrets'>): FleetDelivery {
  const g = config.gitops;
  return {
    ...(g ? { gitops: { engine: g.engine, repoURL: g.repoURL, revision: g.revision ?? 'main', path: (g.path ?? '.').replace(/\/+$/, '') || '.', ...(g.secretRef ? { secretRef: g.secretRef } : {}) } } : {}),
    secrets: config.secrets?.mode ?? 'files',
    ...(config.secrets?.sealingCertificate ? { sealingCertificate: config.secrets.sealingCertificate } : {}),
  };
}
