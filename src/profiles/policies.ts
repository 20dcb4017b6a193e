import type { Construct } from 'constructs';
import { ISTIO_NAMESPACE } from '../catalog/components';
import { PROXY } from '../catalog/proxy';
import type { ClusterSpec } from '../config/model';
import { MtlsDestinationRules } from '../constructs/security/mtls-destination-rules';
import { NamespacePolicy } from '../constructs/security/namespace-policy';
import type { MtlsMode, JwtOrigin } from '../constructs/security/mesh-policy';
import type { InClusterExtras } from './in-cluster';

/**
 * What goes into the late policies file besides the MeshPolicy: the namespace-level
 * `Policy`s a cluster's config asks for, and for every STRICT scope the DestinationRules
 * that make clients send the mTLS the servers now demand.
 */
export function policyExtras(spec: ClusterSpec): InClusterExtras {
  return {
    policies: (scope: Construct) => {
      const domain = PROXY.clusterDomain;
      if (spec.mesh.mtls === 'STRICT') {
        // `*.local`, as Istio's own mesh-wide rule: every service of the cluster domain.
        new MtlsDestinationRules(scope, 'mesh-mtls', { namespace: ISTIO_NAMESPACE, host: '*.local', apiServerHost: `kubernetes.default.svc.${domain}` });
      }
      for (const p of spec.mesh.namespacePolicies) {
        new NamespacePolicy(scope, `policy-${p.namespace}`, {
          namespace: p.namespace,
          mtls: p.mtls as MtlsMode | undefined,
          origins: p.origins as readonly JwtOrigin[] | undefined,
          originIsOptional: p.originIsOptional,
          principalBinding: p.principalBinding,
        });
        if (p.mtls === 'STRICT' && spec.mesh.mtls !== 'STRICT') {
          new MtlsDestinationRules(scope, `mtls-${p.namespace}`, { namespace: p.namespace, host: `*.${p.namespace}.svc.${domain}` });
        }
      }
    },
  };
}
