import { ANTHOSCLI_PLACEMENT } from './gcp-services';

/**
 * Config Connector facts shared by the profiles that declare Google Cloud resources.
 * Today's anthoscli places each resource by the annotation `gke.io/cluster`
 * (SPEC section 11): `bootstrap://` for Google Cloud resources.
 */
export const ANTHOSCLI_BOOTSTRAP: Readonly<Record<string, string>> = { [ANTHOSCLI_PLACEMENT.annotation]: ANTHOSCLI_PLACEMENT.bootstrap };

/** A Google Cloud resource kept when its Config Connector object is deleted. */
export const ABANDON_ON_DELETE: Readonly<Record<string, string>> = { 'cnrm.cloud.google.com/deletion-policy': 'abandon' };
