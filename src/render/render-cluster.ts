import { App } from 'cdk8s';
import type { ClusterSpec } from '../config/model';
import { composeProfile } from '../profiles';
import { installGuide } from '../profiles/install-guide';
import { PackageFile } from './package-file';
import { toYamlFile } from './serialize';
import type { RenderedFile } from './types';

/**
 * Renders one cluster's package in memory: the profile composes its charts, each chart
 * becomes one file. Nothing here touches the file system.
 */
export function renderCluster(spec: ClusterSpec): RenderedFile[] {
  const app = new App({ outdir: '.' });
  composeProfile(app, spec);
  const files: RenderedFile[] = PackageFile.synthAll(app).map(({ file, manifests }) => ({
    path: file.filePath,
    content: toYamlFile(manifests, file.header),
  }));
  files.push({ path: 'INSTALL.md', content: installGuide(spec) });
  return files;
}
