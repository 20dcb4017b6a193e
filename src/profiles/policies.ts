import type { Construct } from 'constructs';
import type { ClusterSpec } from '../config/model';
import { NamespacePolicy } from '../constructs/security/namespace-policy';
import type { InClusterExtras } from './in-cluster';
import type { MtlsMode, JwtOrigin } from '../constructs/security/mesh-policy';

/** The namespace-level `Policy`s a cluster's config asks for, for the late policies file. */
export function namespacePolicies(spec: ClusterSpec): InClusterExtras {
  if (spec.mesh.namespacePolicies.length === 0) return {};
  return {
    policies: (scope: Construct) => {
      for (const p of spec.mesh.namespacePolicies) {
        new NamespacePolicy(scope, `policy-${p.namespace}`, {
          namespace: p.namespace,
          mtls: p.mtls as MtlsMode | undefined,
          origins: p.origins as readonly JwtOrigin[] | undefined,
          originIsOptional: p.originIsOptional,
          principalBinding: p.principalBinding,
        });
      }
    },
  };
}
