import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * A chart that becomes one YAML file of a package. Packages are laid out by where
 * each part is applied (Config Connector, anthoscli/istioctl input, CRDs, the mesh
 * cluster), so every chart names its file rather than cdk8s naming it.
 */
export class PackageFile extends Chart {
  /** Path relative to the cluster's output directory, e.g. `in-cluster/20-pilot.yaml`. */
  readonly filePath: string;
  /** Comment written at the top of the file: why it is here and how it is applied. */
  readonly header?: string;

  constructor(scope: Construct, filePath: string, options: { header?: string } = {}) {
    super(scope, filePath.replace(/[^A-Za-z0-9]+/g, '-'), { disableResourceNameHashes: true });
    this.filePath = filePath;
    this.header = options.header;
  }

  /** The package files of an app, in path order. */
  static allIn(app: App): PackageFile[] {
    return app.charts
      .filter((c): c is PackageFile => c instanceof PackageFile)
      .sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
  }
}
