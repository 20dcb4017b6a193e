import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';

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
  static allIn(app: App, constructs: readonly IConstruct[] = app.node.findAll()): PackageFile[] {
    // Not app.charts: that sorts the whole app by dependencies, and the files are sorted by path anyway.
    return constructs
      .filter((c): c is PackageFile => c instanceof PackageFile)
      .sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
  }

  /**
   * Every package file of an app with its manifests, exactly as `Chart.toJson` gives
   * them. `Chart.toJson` validates the whole app and infers its dependencies again on
   * every call, so a package of fifteen files paid for fifteen passes over every
   * construct; here the app is validated once. Without declared dependencies a chart's
   * objects come in construct-tree order (what cdk8s's dependency sort yields then);
   * an app that declares any is left to cdk8s's own synthesis.
   */
  static synthAll(app: App): { readonly file: PackageFile; readonly manifests: unknown[] }[] {
    const constructs = app.node.findAll();
    const files = PackageFile.allIn(app, constructs);
    if (constructs.some((c) => c.node.dependencies.length > 0)) {
      return files.map((file) => ({ file, manifests: file.toJson() }));
    }
    validateAll(constructs);
    return files.map((file) => ({ file, manifests: ownApiObjects(file).map((o) => o.toJson()) }));
  }
}

/** What cdk8s's synthesis does before rendering: every construct's validations, all errors at once. */
function validateAll(constructs: readonly IConstruct[]): void {
  const errors = constructs.flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/** The API objects a chart renders: its descendants whose closest chart is this one. */
function ownApiObjects(chart: Chart): ApiObject[] {
  return chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart);
}
