import type { ClusterSpec } from '../config/model';
export function trafficDirectorGuide(_spec: ClusterSpec): string {
  return '';
}
