/**
 * Zones of the Google Cloud regions, as they were in 2020: one list, in locations.ts.
 * A regional cluster's nodes, and so the NEGs Traffic Director balances over, are in
 * these zones (the package pins the cluster's `nodeLocations` to them).
 */
export { REGION_ZONES, zonesOfRegion } from './locations';
