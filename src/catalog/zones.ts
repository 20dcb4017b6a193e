/**
 * Zones of the Google Cloud regions a regional cluster may be placed in, as they were
 * in 2020. A regional cluster's nodes, and so the NEGs Traffic Director balances over,
 * are in these zones (the package pins the cluster's `nodeLocations` to them, so the
 * backends it declares are exactly the zones that have endpoints).
 */
export const REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  'asia-east1': ['a', 'b', 'c'],
  'asia-east2': ['a', 'b', 'c'],
  'asia-northeast1': ['a', 'b', 'c'],
  'asia-northeast2': ['a', 'b', 'c'],
  'asia-northeast3': ['a', 'b', 'c'],
  'asia-south1': ['a', 'b', 'c'],
  'asia-southeast1': ['a', 'b', 'c'],
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
};

/** The zones of a region (`us-central1` -> `us-central1-a`, ...), or undefined for a region not listed. */
export function zonesOfRegion(region: string): string[] | undefined {
  return REGION_ZONES[region]?.map((z) => `${region}-${z}`);
}
