import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ANTHOSCLI_BOOTSTRAP } from '../../catalog/config-connector';

export interface GkeNodePoolProps {
  readonly name: string;
  readonly projectId: string;
  readonly location: string;
  readonly clusterName: string;
  readonly machineType: string;
  /** Nodes to start with, and the autoscaling floor (ASM needs at least 4). */
  readonly nodeCount: number;
  readonly maxNodeCount: number;
  /** GKE version of the nodes; the cluster's, so nodes and control plane match. */
  readonly version: string;
  readonly flavour: 'current' | 'anthoscli';
  /** `PROJECT/LOCATION/CLUSTER`, which anthoscli read from `metadata.clusterName`. */
  readonly kccClusterName: string;
  /**
   * Whether pods see the GKE metadata server (Workload Identity) instead of the node's
   * credentials. @default true
   */
  readonly gkeMetadata?: boolean;
  /** OAuth scopes of the nodes; GKE's defaults when absent. */
  readonly oauthScopes?: readonly string[];
  /** Google service account the nodes run as; the Compute Engine default when absent. */
  readonly serviceAccount?: string;
  /** Extra metadata annotations (e.g. where anthoscli places the resource). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The cluster's node pool. Nodes run the GKE metadata server, which workload identity
 * (and so the node agent's Mesh CA token exchange) needs.
 */
export class GkeNodePool extends Construct {
  constructor(scope: Construct, id: string, props: GkeNodePoolProps) {
    super(scope, id);
    const autoscaling = { minNodeCount: props.nodeCount, maxNodeCount: props.maxNodeCount };
    const management = { autoRepair: true, autoUpgrade: true };
    const gkeMetadata = props.gkeMetadata ?? true;
    const nodeExtras = {
      ...(props.oauthScopes ? { oauthScopes: [...props.oauthScopes] } : {}),
      ...(props.serviceAccount ? { serviceAccount: props.serviceAccount } : {}),
    };
    if (props.flavour === 'anthoscli') {
      new ApiObject(this, 'node-pool', {
        apiVersion: 'container.cnrm.cloud.google.com/v1alpha2',
        kind: 'ContainerNodePool',
        metadata: { clusterName: props.kccClusterName, name: props.name, namespace: props.projectId },
        spec: {
          initialNodeCount: props.nodeCount,
          autoscaling,
          nodeConfig: { machineType: props.machineType, ...nodeExtras, ...(gkeMetadata ? { workloadMetadataConfig: { nodeMetadata: 'GKE_METADATA_SERVER' } } : {}) },
          management,
          clusterRef: { name: props.clusterName },
        },
      });
      return;
    }
    new ApiObject(this, 'node-pool', {
      apiVersion: 'container.cnrm.cloud.google.com/v1beta1',
      kind: 'ContainerNodePool',
      metadata: {
        name: props.name,
        namespace: props.projectId,
        // anthoscli creates Google Cloud resources through its bootstrap Config Connector.
        annotations: { ...ANTHOSCLI_BOOTSTRAP, ...props.annotations },
      },
      spec: {
        location: props.location,
        clusterRef: { name: props.clusterName },
        version: props.version,
        initialNodeCount: props.nodeCount,
        autoscaling,
        nodeConfig: { machineType: props.machineType, ...nodeExtras, ...(gkeMetadata ? { workloadMetadataConfig: { mode: 'GKE_METADATA' } } : {}) },
        management,
      },
    });
  }
}
