import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { type GcpService } from '../../catalog/gcp-services';
import { ANTHOSCLI_BOOTSTRAP } from '../../catalog/config-connector';

export interface ProjectServicesProps {
  /** Project ID; Config Connector resources live in the namespace named after it. */
  readonly projectId: string;
  /** The APIs to enable, in order. */
  readonly services: readonly Pick<GcpService, 'shortName' | 'service'>[];
  /**
   * `current`: today's `serviceusage.cnrm.cloud.google.com/v1beta1` Service.
   * `anthoscli`: the `cnrm.cloud.google.com/v1alpha1` CloudService anthoscli read in 2020.
   */
  readonly flavour: 'current' | 'anthoscli';
  /** Extra metadata annotations of each Service (e.g. where anthoscli places it). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Enables Google Cloud APIs in a project through Config Connector. */
export class ProjectServices extends Construct {
  constructor(scope: Construct, id: string, props: ProjectServicesProps) {
    super(scope, id);
    for (const svc of props.services) {
      if (props.flavour === 'anthoscli') {
        new ApiObject(this, svc.shortName, {
          apiVersion: 'cnrm.cloud.google.com/v1alpha1',
          kind: 'CloudService',
          metadata: { name: svc.shortName, namespace: props.projectId },
          spec: { service: svc.service },
        });
      } else {
        new ApiObject(this, svc.shortName, {
          apiVersion: 'serviceusage.cnrm.cloud.google.com/v1beta1',
          kind: 'Service',
          metadata: {
            name: svc.service,
            namespace: props.projectId,
            // Deleting the package must not disable an API the project's other
            // workloads (or the cluster itself) depend on.
            // anthoscli applies Google Cloud resources through its bootstrap Config Connector.
            annotations: { 'cnrm.cloud.google.com/deletion-policy': 'abandon', ...ANTHOSCLI_BOOTSTRAP, ...props.annotations },
          },
          spec: {},
        });
      }
    }
  }
}
