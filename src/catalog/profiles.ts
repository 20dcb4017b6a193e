/** The platform profiles asmpkg renders (seed slide 14). */
export const PROFILES = ['gke', 'gke-istioctl', 'onprem'] as const;
export type Profile = (typeof PROFILES)[number];
