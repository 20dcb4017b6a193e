/** Config texts for tests: a valid cluster per profile, and a way to vary one field. */
import { stringify } from 'yaml';

export const GKE_CLUSTER = {
  name: 'asm-gke',
  profile: 'gke',
  project: { id: 'asm-demo-project', number: '123456789012' },
  location: 'us-central1-c',
  version: '1.15.9-gke.22',
  nodePool: { machineType: 'e2-standard-4', nodeCount: 4 },
};

export const ISTIOCTL_CLUSTER = {
  name: 'asm-existing',
  profile: 'gke-istioctl',
  project: { id: 'asm-demo-project', number: '123456789012' },
  location: 'asia-northeast1-a',
  version: '1.14.10-gke.27',
  adminUser: 'admin@example.com',
  nodePool: { machineType: 'n1-standard-4', nodeCount: 4 },
};

export const ONPREM_CLUSTER = {
  name: 'asm-onprem',
  profile: 'onprem',
  version: '1.2.0-gke.6',
  adminUser: 'admin@example.com',
  nodePool: { cpus: 4, nodeCount: 4 },
  ingress: { loadBalancerIP: '192.168.30.60' },
  certificates: { algorithm: 'ecdsa-p256' },
};

export function configText(...clusters: object[]): string {
  return stringify({ clusters });
}

/** A copy of `base` with the value at a dotted path replaced (or removed with `undefined`). */
export function withField<T extends object>(base: T, dotted: string, value: unknown): T {
  const copy = structuredClone(base) as Record<string, unknown>;
  const parts = dotted.split('.');
  let cur = copy;
  for (const p of parts.slice(0, -1)) {
    cur[p] = { ...((cur[p] as Record<string, unknown>) ?? {}) };
    cur = cur[p] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy as T;
}

export const ISTIO_ON_GKE_CLUSTER = {
  name: 'istio-addon',
  profile: 'istio-on-gke',
  project: { id: 'asm-demo-project', number: '123456789012' },
  location: 'us-central1-c',
  version: '1.15.9-gke.22',
  nodePool: { machineType: 'e2-standard-4', nodeCount: 4 },
  injectNamespaces: ['default', 'shop'],
};

export const TRAFFIC_DIRECTOR_CLUSTER = {
  name: 'td-gke',
  profile: 'traffic-director',
  project: { id: 'asm-demo-project', number: '123456789012' },
  location: 'us-central1',
  version: '1.15.9-gke.22',
  nodePool: { machineType: 'e2-standard-4', nodeCount: 2 },
  injectNamespaces: ['default'],
  trafficDirector: {
    services: [
      { name: 'helloworld', namespace: 'default', port: 80, targetPort: 8080, hosts: ['helloworld.example.com'] },
      { name: 'greeter', namespace: 'shop', port: 50051, targetPort: 50051, hosts: ['greeter.example.com', 'greeter'], protocol: 'GRPC', maxRatePerEndpoint: 20 },
    ],
  },
};
