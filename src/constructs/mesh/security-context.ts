/**
 * Container security contexts of the mesh components, limited to fields Kubernetes
 * 1.13 serves without feature gates (`runAsGroup` is alpha there, so it is never set).
 * Istio 1.4's charts set none: its images run as root by default.
 */
import { PROXY } from '../../catalog/proxy';
import type { ContainerSecurityContext } from '../k8s';

/**
 * The default for every mesh container: Istio's proxy UID (1337, not root), no
 * privilege escalation, no capabilities and a read-only root filesystem (a
 * component that writes gets an emptyDir for it).
 */
export const NON_ROOT: ContainerSecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: PROXY.uid,
};

/**
 * For a container that must run as root: the node agent, which creates its SDS socket
 * in the node's root-owned `/var/run/sds`, and the gateway proxies, which listen on 80
 * and 443 in the pod (the SPEC port table; only root can bind ports below 1024 on
 * 1.13, where a non-root process gets no added capability). Still no privilege
 * escalation, a read-only root filesystem, and no capabilities but `add`.
 */
export function rootWith(add: readonly string[] = []): ContainerSecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: add.length > 0 ? { add: [...add], drop: ['ALL'] } : { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
    runAsNonRoot: false,
    runAsUser: 0,
  };
}
