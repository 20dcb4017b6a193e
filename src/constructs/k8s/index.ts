/** Small builders for Kubernetes objects that render only fields Kubernetes 1.13 knows. */
export * from './types';
export * from './service-account';
export * from './rbac';
export * from './workload';
export * from './service';
export * from './pod-disruption-budget';
export * from './horizontal-pod-autoscaler';
export * from './config-map';
