import { App } from 'cdk8s';
import type { ClusterSpec } from '../config/model';
import { ControlPlane } from '../constructs/mesh/control-plane';
import { ClusterAdminBinding } from '../constructs/security/cluster-admin-binding';
import { PackageFile } from '../constructs/package-file';
import { addInClusterFiles } from './in-cluster';
import { FILE_HEADERS, PACKAGE_FILES } from '../catalog/layout';
import { meshValuesFor } from './mesh-values';
import { policyExtras } from './policies';

/**
 * `gke-istioctl` and `onprem`: the cluster exists. The package grants the installer
 * cluster-admin, carries the IstioControlPlane overlay for `istioctl manifest apply -f`
 * (profile `asm` or `asm-onprem`), and the same install rendered for kubectl and GitOps.
 * On-prem the `cacerts` secret is written apart, in secrets/, by the CLI.
 */
export function composeIstioctl(app: App, spec: ClusterSpec): void {
  const values = meshValuesFor(spec);
  const bootstrap = new PackageFile(app, PACKAGE_FILES.clusterAdminBinding, { header: FILE_HEADERS.bootstrap });
  new ClusterAdminBinding(bootstrap, 'cluster-admin', { user: spec.adminUser! });

  const controlPlane = new PackageFile(app, PACKAGE_FILES.controlPlane, { header: FILE_HEADERS.controlPlane });
  const profiles = spec.release.controlPlaneProfiles;
  new ControlPlane(controlPlane, 'control-plane', { values, profile: values.platform === 'onprem' ? profiles.onprem : profiles.gke });

  addInClusterFiles(app, values, policyExtras(spec));
}
