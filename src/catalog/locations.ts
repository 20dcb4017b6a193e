/**
 * Compute Engine regions and their zones, as Google listed them on 2020-07-01
 * (cloud.google.com/compute/docs/regions-zones), the time of ASM 1.4. GKE clusters of
 * that time could be created in these locations only; a name that is not here is a typo
 * (`us-central1-z`), a zone that never existed (`europe-west1-a`: Belgium starts at `-b`)
 * or no GCP location at all. Newer regions (Warsaw, Delhi, …) came later and are not
 * listed, like every other fact of this catalog they are as of the release.
 */

/** The date the list below was taken. */
export const LOCATIONS_AS_OF = '2020-07-01';

/** Region → zone suffixes (`us-central1` → `a`, `b`, `c`, `f`). */
export const REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  'asia-east1': ['a', 'b', 'c'],
  'asia-east2': ['a', 'b', 'c'],
  'asia-northeast1': ['a', 'b', 'c'],
  'asia-northeast2': ['a', 'b', 'c'],
  'asia-northeast3': ['a', 'b', 'c'],
  'asia-south1': ['a', 'b', 'c'],
  'asia-southeast1': ['a', 'b', 'c'],
  // Jakarta opened on 2020-06-24
  'asia-southeast2': ['a', 'b', 'c'],
  'australia-southeast1': ['a', 'b', 'c'],
  'europe-north1': ['a', 'b', 'c'],
  'europe-west1': ['b', 'c', 'd'],
  'europe-west2': ['a', 'b', 'c'],
  'europe-west3': ['a', 'b', 'c'],
  'europe-west4': ['a', 'b', 'c'],
  'europe-west6': ['a', 'b', 'c'],
  'northamerica-northeast1': ['a', 'b', 'c'],
  'southamerica-east1': ['a', 'b', 'c'],
  'us-central1': ['a', 'b', 'c', 'f'],
  'us-east1': ['b', 'c', 'd'],
  'us-east4': ['a', 'b', 'c'],
  'us-west1': ['a', 'b', 'c'],
  'us-west2': ['a', 'b', 'c'],
  'us-west3': ['a', 'b', 'c'],
  'us-west4': ['a', 'b', 'c'],
};

export const REGIONS: readonly string[] = Object.keys(REGION_ZONES);

export const ZONES: readonly string[] = REGIONS.flatMap((r) => REGION_ZONES[r].map((z) => `${r}-${z}`));

const ZONE_REGION: ReadonlyMap<string, string> = new Map(REGIONS.flatMap((r) => REGION_ZONES[r].map((z) => [`${r}-${z}`, r] as const)));

/** Every location a GKE cluster could have: the regions (regional clusters) and the zones. */
export const LOCATIONS: readonly string[] = [...REGIONS, ...ZONES];

export function isKnownRegion(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(REGION_ZONES, name);
}

/** The region of a known zone, the region itself for a known region, else undefined. */
export function regionOfLocation(location: string): string | undefined {
  return ZONE_REGION.get(location) ?? (isKnownRegion(location) ? location : undefined);
}

/** The zones of a region (`us-central1` -> `us-central1-a`, ...), or undefined for a region not listed. */
export function zonesOfRegion(region: string): string[] | undefined {
  return isKnownRegion(region) ? REGION_ZONES[region].map((z) => `${region}-${z}`) : undefined;
}

export function isKnownZone(name: string): boolean {
  return ZONE_REGION.has(name);
}
