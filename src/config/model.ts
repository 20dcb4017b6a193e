import type { Release } from '../catalog/release';
import type { Profile } from './schema';
import type { TelemetryValues } from '../constructs/mesh/values';
import type { NormalizedNamespacePolicy } from './mesh-options';
import type { OfferingFields } from './offerings';
import type { GitopsEngine, SecretsMode, SecretStoreKind } from '../catalog/gitops';

/** A namespace-level authentication policy, with proto spellings folded into YAML names. */
export type NamespacePolicySpec = NormalizedNamespacePolicy;

/**
 * One cluster after validation, defaults and derivation: everything a profile needs,
 * with no optional field left for constructs to default again.
 */
export interface ClusterSpec extends OfferingFields {
  readonly name: string;
  readonly profile: Profile;
  readonly release: Release;
  /** Platform version as configured (GKE or GKE on-prem). */
  readonly version: string;
  /** Kubernetes `MAJOR.MINOR` the platform version runs. */
  readonly kubernetesVersion: string;
  readonly project?: { readonly id: string; readonly number: string };
  readonly location?: string;
  readonly nodePool: {
    readonly name: string;
    readonly machineType?: string;
    readonly nodeCount: number;
    readonly maxNodeCount: number;
  };
  readonly network: string;
  readonly subnetwork: string;
  readonly releaseChannel: 'RAPID' | 'REGULAR' | 'STABLE';
  readonly kcc: 'current' | 'anthoscli';
  readonly adminUser?: string;
  readonly trustDomain: string;
  readonly hub: string;
  readonly tag: string;
  readonly ingress: { readonly loadBalancerIP?: string; readonly nodePorts: Readonly<Record<string, number>> };
  readonly certificates: {
    readonly dir?: string;
    readonly algorithm: 'rsa-4096' | 'ecdsa-p256';
    readonly rootValidityDays: number;
    readonly validityDays: number;
    readonly organization: string;
  };
  readonly mesh: {
    readonly mtls: 'PERMISSIVE' | 'STRICT';
    readonly outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
    readonly egressGateway: boolean;
    readonly namespacePolicies: readonly NamespacePolicySpec[];
  };
  readonly telemetry: TelemetryValues;
  /** How the package is delivered; absent means by hand (kubectl, anthoscli), secrets as files. */
  readonly delivery?: DeliverySpec;
}

/** A cluster's share of the fleet's `gitops:` and `secrets:` blocks. */
export interface DeliverySpec {
  /** The GitOps controller applying the package, if any. */
  readonly engine?: GitopsEngine;
  readonly wave: number;
  /** Where the controller reaches the cluster (Argo CD cluster name, Flux kubeconfig Secret). */
  readonly destination?: string;
  readonly secrets: SecretsMode;
  /** The External Secrets store (mode external). */
  readonly store?: { readonly kind: SecretStoreKind; readonly name: string };
}

/** The fleet's `gitops:` block with defaults filled. */
export interface GitopsSpec {
  readonly engine: GitopsEngine;
  readonly repoURL: string;
  readonly revision: string;
  /** Where OUT lives inside the repository, without a trailing slash; '.' for its root. */
  readonly path: string;
  /** The Secret with the repository's credentials (Flux, Config Sync); none for a public repository. */
  readonly secretRef?: string;
}

/** Fleet-wide delivery: what renders OUT/gitops/ and the sealing certificate's place. */
export interface FleetDelivery {
  readonly gitops?: GitopsSpec;
  readonly secrets: SecretsMode;
  /** Path of the sealing certificate as the config gives it (relative to the config's directory). */
  readonly sealingCertificate?: string;
}

/** Values derived from project, cluster and location (SPEC section 3), GKE only. */
export interface GkeIdentity {
  readonly meshId: string;
  readonly workloadPool: string;
  readonly gcpMetadata: string;
  readonly clusterUrl: string;
  /** Config Connector `clusterName`: PROJECT/LOCATION/CLUSTER (what the anthoscli of 2020 read). */
  readonly kccClusterName: string;
  /** Today's anthoscli cluster id, `gke://PROJECT/LOCATION/CLUSTER` (annotation `gke.io/cluster`). */
  readonly gkeClusterId: string;
}
