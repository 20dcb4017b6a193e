import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GKE_API } from '../../catalog/gcp-services';
import { ANTHOSCLI_BOOTSTRAP } from '../../catalog/config-connector';
import { regionOf } from '../../util/location';

export interface GkeClusterProps {
  readonly name: string;
  readonly projectId: string;
  /** Zone or region. */
  readonly location: string;
  /** Workload identity pool, `PROJECT_ID.svc.id.goog`; no Workload Identity when absent. */
  readonly workloadPool?: string;
  /** GCP label `mesh_id` ASM uses to group clusters into a mesh; no label when absent. */
  readonly meshId?: string;
  /** `spec.addonsConfig` (the Istio on GKE add-on). */
  readonly addonsConfig?: Readonly<Record<string, unknown>>;
  /** `spec.ipAllocationPolicy`: present makes the cluster VPC-native (alias IPs). */
  readonly ipAllocationPolicy?: Readonly<Record<string, unknown>>;
  /** Zones of a regional cluster's nodes, pinned so other resources can name them. */
  readonly nodeLocations?: readonly string[];
  /** Extra metadata annotations (e.g. where anthoscli places the resource). */
  readonly annotations?: Readonly<Record<string, string>>;
  readonly network: string;
  readonly subnetwork: string;
  readonly releaseChannel: 'RAPID' | 'REGULAR' | 'STABLE';
  /**
   * GKE version the control plane runs at least (`1.15.9-gke.22`). Without it GKE picks
   * the channel's current default, which may not serve the API versions the mesh uses.
   */
  readonly version: string;
  /** `anthoscli` renders the 2020 v1alpha2 resources the seed's anthoscli read. */
  readonly flavour: 'current' | 'anthoscli';
  /** `PROJECT/LOCATION/CLUSTER`, which anthoscli read from `metadata.clusterName`. */
  readonly kccClusterName: string;
}


/**
 * A GKE cluster with workload identity, the `mesh_id` label and Stackdriver Kubernetes
 * logging/monitoring, declared as Config Connector resources.
 */
export class GkeCluster extends Construct {
  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    if (props.flavour === 'anthoscli') {
      if (props.workloadPool) new ApiObject(this, 'identity-namespace', {
        apiVersion: 'identity.cnrm.cloud.google.com/v1alpha2',
        kind: 'IdentityNamespace',
        metadata: { name: 'default', namespace: props.projectId },
        spec: {},
      });
      new ApiObject(this, 'cluster', {
        apiVersion: 'container.cnrm.cloud.google.com/v1alpha2',
        kind: 'ContainerCluster',
        metadata: { clusterName: props.kccClusterName, name: props.name, namespace: props.projectId },
        spec: {
          location: props.location,
          ...(props.workloadPool ? { workloadIdentity: { identityNamespace: 'default' } } : {}),
          ...(props.meshId ? { labels: { mesh_id: props.meshId } } : {}),
          ...(props.addonsConfig ? { addonsConfig: props.addonsConfig } : {}),
          loggingService: GKE_API.loggingService,
          monitoringService: GKE_API.monitoringService,
          network: props.network,
          subnetwork: props.subnetwork,
          releaseChannel: { channel: props.releaseChannel },
        },
      });
      return;
    }
    new ApiObject(this, 'cluster', {
      apiVersion: 'container.cnrm.cloud.google.com/v1beta1',
      kind: 'ContainerCluster',
      metadata: {
        name: props.name,
        namespace: props.projectId,
        // Config Connector turns metadata labels into GCP resource labels.
        ...(props.meshId ? { labels: { mesh_id: props.meshId } } : {}),
        // The node pool is its own resource; GKE's default pool would be a second,
        // unmanaged one.
        // anthoscli creates Google Cloud resources through its bootstrap Config Connector.
        annotations: {
          'cnrm.cloud.google.com/remove-default-node-pool': 'true',
          ...ANTHOSCLI_BOOTSTRAP,
          ...props.annotations,
        },
      },
      spec: {
        location: props.location,
        ...(props.nodeLocations ? { nodeLocations: [...props.nodeLocations] } : {}),
        minMasterVersion: props.version,
        initialNodeCount: 1,
        ...(props.workloadPool ? { workloadIdentityConfig: { workloadPool: props.workloadPool } } : {}),
        ...(props.addonsConfig ? { addonsConfig: props.addonsConfig } : {}),
        ...(props.ipAllocationPolicy ? { ipAllocationPolicy: props.ipAllocationPolicy } : {}),
        loggingService: GKE_API.loggingService,
        monitoringService: GKE_API.monitoringService,
        networkRef: { external: `projects/${props.projectId}/global/networks/${props.network}` },
        subnetworkRef: { external: `projects/${props.projectId}/regions/${regionOf(props.location)}/subnetworks/${props.subnetwork}` },
        releaseChannel: { channel: props.releaseChannel },
      },
    });
  }
}
