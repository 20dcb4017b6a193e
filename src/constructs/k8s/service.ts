import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { apiVersionFor } from '../../catalog/api-versions';
import type { ServiceSpec } from '../../catalog/components';
import type { StringMap } from './types';

export interface ServiceProps {
  /** The catalog entry: name, type and ports (`src/catalog/components.ts`). */
  readonly spec: ServiceSpec;
  readonly namespace: string;
  /** Pod labels the Service selects. */
  readonly selector: StringMap;
  readonly labels?: StringMap;
  readonly annotations?: StringMap;
  /** NodePorts pinned by port name; ports not listed are left to Kubernetes. */
  readonly nodePorts?: Readonly<Record<string, number>>;
  /** Requested load balancer address (LoadBalancer Services only). */
  readonly loadBalancerIP?: string;
  /** Kubernetes `MAJOR.MINOR`; default `1.13`. */
  readonly kubernetesVersion?: string;
}

/** A Service rendered from a component's catalog entry, with exactly its ports. */
export class Service extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id);
    const { spec } = props;
    const nodePorts = props.nodePorts ?? {};
    const allowsNodePorts = spec.type === 'LoadBalancer' || spec.type === 'NodePort';
    for (const name of Object.keys(nodePorts)) {
      if (!spec.ports.some((p) => p.name === name)) {
        throw new Error(`Service ${spec.name} has no port named '${name}' to pin a nodePort on`);
      }
      if (!allowsNodePorts) throw new Error(`Service ${spec.name} is ${spec.type}: it has no nodePorts`);
    }
    if (props.loadBalancerIP !== undefined && spec.type !== 'LoadBalancer') {
      throw new Error(`Service ${spec.name} is ${spec.type}: loadBalancerIP needs a LoadBalancer Service`);
    }
    this.name = spec.name;
    this.namespace = props.namespace;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: apiVersionFor('Service', props.kubernetesVersion ?? '1.13'),
      kind: 'Service',
      metadata: {
        name: spec.name,
        namespace: props.namespace,
        labels: props.labels ? { ...props.labels } : undefined,
        annotations: props.annotations && Object.keys(props.annotations).length > 0 ? { ...props.annotations } : undefined,
      },
      spec: {
        type: spec.type,
        loadBalancerIP: props.loadBalancerIP,
        selector: { ...props.selector },
        ports: spec.ports.map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: p.targetPort,
          protocol: p.protocol,
          nodePort: nodePorts[p.name],
        })),
      },
    });
  }
}
