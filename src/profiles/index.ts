import type { App } from 'cdk8s';
import type { ClusterSpec } from '../config/model';
import type { Profile } from '../config/schema';
import { composeGke } from './gke';
import { composeIstioctl } from './istioctl';
import { composeIstioOnGke } from './istio-on-gke';
import { composeTrafficDirector } from './traffic-director';

/** What each profile adds to a cluster's app. */
const COMPOSERS: Record<Profile, (app: App, spec: ClusterSpec) => void> = {
  gke: composeGke,
  'gke-istioctl': composeIstioctl,
  onprem: composeIstioctl,
  'istio-on-gke': composeIstioOnGke,
  'traffic-director': composeTrafficDirector,
};

export function composeProfile(app: App, spec: ClusterSpec): void {
  COMPOSERS[spec.profile](app, spec);
}
