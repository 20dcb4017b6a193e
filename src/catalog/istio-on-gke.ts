/**
 * The Istio on GKE add-on (SPEC section 13, seed slides 10-11): Google-managed Istio
 * installed as a GKE cluster option. Facts only; the profile composes them.
 */

/** Mesh-wide mTLS as the config names it, as Config Connector and gcloud name it. */
export interface AddonMtls {
  /** `spec.addonsConfig.istioConfig.auth` of the ContainerCluster. */
  readonly auth: 'AUTH_NONE' | 'AUTH_MUTUAL_TLS';
  /** `gcloud beta container clusters create --istio-config=auth=...`. */
  readonly gcloud: 'MTLS_PERMISSIVE' | 'MTLS_STRICT';
}

export const ISTIO_ADDON_MTLS: Readonly<Record<'PERMISSIVE' | 'STRICT', AddonMtls>> = {
  // The add-on's default, and what AUTH_NONE means: sidecars accept plaintext and mTLS.
  PERMISSIVE: { auth: 'AUTH_NONE', gcloud: 'MTLS_PERMISSIVE' },
  STRICT: { auth: 'AUTH_MUTUAL_TLS', gcloud: 'MTLS_STRICT' },
};

/** mTLS modes the add-on offers; its `auth` has no third value (no auto mTLS). */
export const ISTIO_ADDON_MTLS_MODES = Object.keys(ISTIO_ADDON_MTLS) as ('PERMISSIVE' | 'STRICT')[];

/** The namespace Google installs and reconciles; nothing in it may be rendered or patched. */
export const ISTIO_ADDON_NAMESPACE = 'istio-system';

/** Istio versions the add-on served (SPEC section 13). */
export const ISTIO_ADDON_VERSIONS = [
  { version: '1.2.10-gke.3', note: 'served at the talk (March 2020)' },
  { version: '1.4.6-gke.0', note: 'shipped 2020-03-27' },
] as const;

/** The gcloud command group that knows the add-on: it exists only in the GKE v1beta1 API. */
export const ISTIO_ADDON_GCLOUD = 'gcloud beta container clusters';

/** What the add-on does not let users change, for INSTALL.md and refusals. */
export const ISTIO_ADDON_LIMITS: readonly string[] = [
  'Google installs, upgrades and reconciles everything in istio-system: its Deployments, Services and ConfigMaps (mesh config, injector template) are read-only to you and are reset on upgrade.',
  'The Istio version follows the GKE version; you cannot pick it (1.2.10-gke.3 at the talk, 1.4.6-gke.0 from 2020-03-27).',
  'Mesh-wide mTLS is the only mesh option: PERMISSIVE (auth AUTH_NONE) or STRICT (AUTH_MUTUAL_TLS); switching an existing cluster between them was a known issue in 2020, so choose at creation.',
  'No Anthos Service Mesh features: no Mesh CA, no ASM dashboards, no meshca/meshtelemetry/meshconfig/anthos APIs.',
  'There was no documented migration from the add-on to ASM in 2020 (it came in June 2021); that later path ends by disabling the add-on (istioConfig.disabled: true).',
];

/**
 * Why a mesh or telemetry option of the config cannot be honoured by the add-on, by
 * config field: the refusal's reason.
 */
export const ISTIO_ADDON_REFUSED_OPTIONS: Readonly<Record<string, string>> = {
  'mesh.outboundTrafficPolicy':
    'the outbound traffic policy is mesh config in the add-on\'s istio-system ConfigMap, which Google owns and resets on upgrade',
  'mesh.egressGateway': 'the add-on installs its own istio-system components; asmpkg may not add to or patch istio-system',
  'mesh.namespacePolicies':
    'asmpkg renders no Istio resources for the add-on, whose Istio version GKE chooses (1.2 or 1.4); create authentication Policies yourself for the version your cluster runs',
  telemetry: 'the add-on\'s telemetry is configured by Google in istio-system, which may not be rendered or patched',
  cni: 'the add-on chooses how sidecars intercept traffic; it is not a cluster option',
};

/**
 * The add-on's status for the support matrix's features, where SPEC section 13 gives
 * the fact; features not listed are unknown for the add-on and shown as such.
 */
export const ISTIO_ADDON_SUPPORT: Readonly<Record<string, 'default' | 'optional' | 'unsupported'>> = {
  'traffic.sidecars': 'default',
  'security.mtls-permissive': 'default',
  'security.mtls-strict': 'optional',
  'security.auto-mtls': 'unsupported',
  'security.mesh-ca': 'unsupported',
  'observability.ui-asm-dashboards': 'unsupported',
};
