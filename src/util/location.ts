/** GCP locations: a zone is its region plus `-a`..`-z` (`us-central1-c` in `us-central1`). */
export function isZone(location: string): boolean {
  return /-[a-z]$/.test(location);
}

/** Region of a zone; a region is its own. */
export function regionOf(location: string): string {
  return isZone(location) ? location.slice(0, -2) : location;
}
