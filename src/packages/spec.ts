import { DEFAULT_RELEASE, RELEASES } from '../catalog/release';
import type { ClusterInput } from '../config/load';
import type { ClusterSpec } from '../config/model';
import { resolveCluster } from '../config/resolve';
import { platformVersions } from '../config/rules';
import type { Profile } from '../config/schema';
import { isAsmProfile } from '../catalog/profiles';

/** The cluster values a kpt package leaves to its setters. */
export interface PackageValues {
  readonly projectId: string;
  readonly projectNumber: string;
  readonly cluster: string;
  /** Zone (or region) of the cluster. */
  readonly location: string;
  readonly network: string;
  readonly subnetwork: string;
  readonly releaseChannel: 'RAPID' | 'REGULAR' | 'STABLE';
  readonly nodeCount: number;
  readonly maxNodeCount: number;
  readonly hub: string;
  readonly tag: string;
  /** User granted cluster-admin (gke-istioctl, onprem). */
  readonly adminUser: string;
  /** Ingress gateway load balancer VIP (onprem). */
  readonly loadBalancerIP: string;
}

const release = RELEASES.get(DEFAULT_RELEASE)!;

/**
 * The placeholders packages are rendered with: those of the ASM 1.4 kpt package
 * (PROJECT_ID, PROJECT_NUMBER, asm-cluster, us-central1-c, default network, REGULAR,
 * 4 nodes) and the release's hub and tag. They would not pass config validation; the
 * spec is resolved without it.
 */
export const PLACEHOLDERS: PackageValues = {
  projectId: 'PROJECT_ID',
  projectNumber: 'PROJECT_NUMBER',
  cluster: 'asm-cluster',
  location: 'us-central1-c',
  network: 'default',
  subnetwork: 'default',
  releaseChannel: 'REGULAR',
  nodeCount: 4,
  maxNodeCount: 4,
  hub: release.hub,
  tag: release.tag,
  adminUser: 'ADMIN_USER',
  loadBalancerIP: 'LOAD_BALANCER_IP',
};

/**
 * The example service a `traffic-director` package routes to (a package cannot know
 * yours): edit `in-cluster/` and `config-connector/` after `kpt pkg get`, or render
 * your own services with `asmpkg synth`.
 */
export const PACKAGE_TD_SERVICES = [{ name: 'helloworld', namespace: 'default', port: 80, targetPort: 8080, hosts: ['helloworld.example.com'] }] as const;

/** The newest platform version the profile supports (packages do not let it vary). */
function platformVersion(profile: Profile): string {
  const table = platformVersions(profile).table;
  return table[table.length - 1].minimum;
}

/**
 * The `ClusterSpec` a package of `profile` is rendered from, with `values` (placeholders
 * for what is not given). Defaults and derived values come from `resolveCluster`, as
 * for a cluster of a config file, so a package set to some values and a cluster
 * rendered with them agree.
 */
export function packageSpec(profile: Profile, values: Partial<PackageValues> = {}): ClusterSpec {
  const v: PackageValues = { ...PLACEHOLDERS, ...values };
  const onGke = profile !== 'onprem';
  const declaresCluster = profile === 'gke' || !isAsmProfile(profile);
  const input = {
    name: v.cluster,
    profile,
    release: release.version,
    version: platformVersion(profile),
    ...(onGke ? { project: { id: v.projectId, number: v.projectNumber }, location: v.location } : {}),
    nodePool: {
      ...(onGke ? { machineType: 'e2-standard-4' } : { cpus: 4 }),
      nodeCount: v.nodeCount,
      maxNodeCount: v.maxNodeCount,
    },
    ...(declaresCluster ? { network: v.network, subnetwork: v.subnetwork, releaseChannel: v.releaseChannel } : {}),
    ...(isAsmProfile(profile) && profile !== 'gke' ? { adminUser: v.adminUser } : {}),
    ...(profile === 'traffic-director' ? { trafficDirector: { services: [...PACKAGE_TD_SERVICES] } } : {}),
    ...(profile === 'onprem' ? { ingress: { loadBalancerIP: v.loadBalancerIP } } : {}),
  } as unknown as ClusterInput;
  return { ...resolveCluster(input), hub: v.hub, tag: v.tag };
}
