/**
 * Release facts of Anthos Service Mesh, as data. Everything that names an image,
 * a tag or a minimum platform version reads it from here.
 */

/** Container images of a release, by component. */
export interface ReleaseImages {
  readonly pilot: string;
  /** Sidecar and gateway proxy. */
  readonly proxy: string;
  readonly galley: string;
  readonly sidecarInjector: string;
  readonly nodeAgent: string;
  readonly citadel: string;
}

export interface Release {
  /** The ASM version users name in config (`release:`). */
  readonly version: string;
  /** The upstream Istio version it is built from. */
  readonly istioVersion: string;
  /** The istioctl version the seed installs it with. */
  readonly istioctlVersion: string;
  readonly hub: string;
  readonly tag: string;
  readonly images: ReleaseImages;
  /** Where the release's istioctl is downloaded from (Linux). */
  readonly istioctlArchive: string;
  /** Istio's trust domain when none is configured (on-prem; GKE uses the workload pool). */
  readonly defaultTrustDomain: string;
  /** IstioControlPlane `spec.profile` per platform. */
  readonly controlPlaneProfiles: { readonly gke: string; readonly onprem: string };
}

export const ASM_1_4_6: Release = {
  version: '1.4.6-asm.0',
  istioVersion: '1.4.6',
  istioctlVersion: '1.5.0',
  hub: 'gcr.io/gke-release/asm',
  tag: '1.4.6-asm.0',
  images: {
    pilot: 'pilot',
    proxy: 'proxyv2',
    galley: 'galley',
    sidecarInjector: 'sidecar_injector',
    nodeAgent: 'node-agent-k8s',
    citadel: 'citadel',
  },
  istioctlArchive: 'https://storage.googleapis.com/gke-release/asm/istio-1.4.6-asm.0-linux.tar.gz',
  defaultTrustDomain: 'cluster.local',
  controlPlaneProfiles: { gke: 'asm', onprem: 'asm-onprem' },
};

/** Every release asmpkg can render, by version. */
export const RELEASES: ReadonlyMap<string, Release> = new Map([[ASM_1_4_6.version, ASM_1_4_6]]);

export const DEFAULT_RELEASE = ASM_1_4_6.version;

/** Full image reference of a component image in a release. */
export function imageRef(release: Release, image: keyof ReleaseImages, hub = release.hub, tag = release.tag): string {
  return `${hub}/${release.images[image]}:${tag}`;
}
