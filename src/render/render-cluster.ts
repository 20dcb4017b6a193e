import { App } from 'cdk8s';
import type { ClusterSpec } from '../config/model';
import { secretsRenderedApartFor } from '../certs/secret-files';
import { externalSecretsFile } from '../gitops/secrets-files';
import { deliveryGuide } from '../gitops/install-steps';
import { clusterKustomization, ManifestFile, orderForEngine } from '../gitops/package';
import type { Upload } from '../gitops/external-secrets';
import { composeProfile } from '../profiles';
import { installGuide } from '../profiles/install-guide';
import { meshValuesFor } from '../profiles/mesh-values';
import { PackageFile } from '../constructs/package-file';
import { toYamlFile } from './serialize';
import type { RenderedFile } from './types';

/**
 * Renders one cluster's package in memory: the profile composes its charts, each chart
 * becomes one file. `extra` are files made apart from the profile (sealed Secrets).
 * With a GitOps engine, the applied objects carry its ordering annotations and the
 * package root gets a kustomization.yaml. Nothing here touches the file system.
 */
export function renderCluster(spec: ClusterSpec, extra: readonly ManifestFile[] = []): RenderedFile[] {
  const app = new App({ outdir: '.' });
  composeProfile(app, spec);
  let files: ManifestFile[] = PackageFile.synthAll(app).map(({ file, manifests }) => ({ path: file.filePath, header: file.header, manifests }));
  files.push(...extra);
  let uploads: Upload[] = [];
  if (spec.delivery?.secrets === 'external') {
    const external = externalSecretsFile(spec, secretsRenderedApartFor(spec.profile, meshValuesFor(spec).platform));
    if (external) {
      files.push(external.file);
      uploads = external.uploads;
    }
  }
  const engine = spec.delivery?.engine;
  if (engine) {
    files = orderForEngine(engine, files);
    files.push(clusterKustomization(files));
  }
  const rendered: RenderedFile[] = files
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => ({ path: f.path, content: toYamlFile(f.manifests, f.header) }));
  rendered.push({ path: 'INSTALL.md', content: installGuide(spec) + (spec.delivery ? `\n${deliveryGuide(spec, uploads)}` : '') });
  return rendered;
}
