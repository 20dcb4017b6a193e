/**
 * The platform profiles asmpkg renders. The first three install Anthos Service Mesh
 * (seed slide 14); the other two are the other meshes of the talk (slides 8-12): the
 * Istio on GKE add-on and Traffic Director, rendered side by side from the same config.
 */
export const ASM_PROFILES = ['gke', 'gke-istioctl', 'onprem'] as const;
export type AsmProfile = (typeof ASM_PROFILES)[number];

/** Profiles of the Google-managed meshes that are not ASM (SPEC sections 13 and 14). */
export const OFFERING_PROFILES = ['istio-on-gke', 'traffic-director'] as const;
export type OfferingProfile = (typeof OFFERING_PROFILES)[number];

export const PROFILES = [...ASM_PROFILES, ...OFFERING_PROFILES] as const;
export type Profile = (typeof PROFILES)[number];

/** Whether a profile installs ASM (and so follows ASM's requirements and support matrix). */
export function isAsmProfile(profile: Profile): profile is AsmProfile {
  return (ASM_PROFILES as readonly string[]).includes(profile);
}
