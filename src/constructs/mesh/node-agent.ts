import { Construct } from 'constructs';
import { component } from '../../catalog/components';
import { GKE_API } from '../../catalog/gcp-services';
import { PROXY } from '../../catalog/proxy';
import { imageRef } from '../../catalog/release';
import type { DaemonSet, EnvVar, ServiceAccount } from '../k8s';
import { MeshComponentParts } from './component';
import { fieldEnv } from './control-plane-proxy';
import { rootWith } from './security-context';
import type { MeshValues } from './values';

export interface NodeAgentProps {
  /** Mesh values (GKE): trust domain and `clusterUrl` (`GKE_CLUSTER_URL`). */
  readonly values: MeshValues;
}

/** Mesh CA: the CA the node agent gets workload certificates from on GKE. */
export const MESH_CA = { provider: 'GoogleCA', address: GKE_API.meshCaAddress, plugins: 'GoogleTokenExchange' } as const;

/**
 * The node agent, DaemonSet `istio-nodeagent` (GKE only): one per node, it serves
 * workload certificates over SDS on the node's `/var/run/sds` socket, getting them
 * from Mesh CA with the workload's token exchanged for a Google credential.
 */
export class NodeAgent extends Construct {
  readonly daemonSet: DaemonSet;
  readonly serviceAccount: ServiceAccount;

  constructor(scope: Construct, id: string, props: NodeAgentProps) {
    super(scope, id);
    const v = props.values;
    if (v.platform !== 'gke') throw new Error('NodeAgent: the node agent (Mesh CA) runs on GKE only; on-prem uses Citadel');
    if (!v.clusterUrl) throw new Error('NodeAgent: values.clusterUrl (GKE_CLUSTER_URL) is required');
    const c = component('nodeAgent');
    const parts = new MeshComponentParts(this, c, v.kubernetesVersion);

    this.serviceAccount = parts.serviceAccount();

    const env: EnvVar[] = [
      { name: 'CA_ADDR', value: MESH_CA.address },
      { name: 'CA_PROVIDER', value: MESH_CA.provider },
      { name: 'PLUGINS', value: MESH_CA.plugins },
      { name: 'GKE_CLUSTER_URL', value: v.clusterUrl },
      // the node agent cannot review Mesh CA-bound tokens itself: Mesh CA does
      { name: 'VALID_TOKEN', value: 'true' },
      { name: 'TRUST_DOMAIN', value: v.trustDomain },
      fieldEnv('NAMESPACE', 'metadata.namespace'),
    ];

    this.daemonSet = parts.daemonSet({
      containers: [
        {
          name: 'nodeagent',
          image: imageRef(v.release, 'nodeAgent', v.hub, v.tag),
          env,
          // Istio 1.4 gave it no probes (it serves only the SDS socket); requests and limits from the catalog
          resources: parts.resources('nodeagent'),
          volumeMounts: [{ name: 'sdsudspath', mountPath: PROXY.sdsUdsDir }],
          // root: it creates the SDS socket in the node's root-owned /var/run/sds (and makes it 0666 for the proxies)
          securityContext: rootWith(),
        },
      ],
      volumes: [{ name: 'sdsudspath', hostPath: { path: PROXY.sdsUdsDir } }],
    });

    parts.clusterRole([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
  }
}
