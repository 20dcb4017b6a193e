/**
 * Certificates asmpkg keeps per cluster: Citadel's plugged-in CA (SPEC 8, on-prem) and the
 * sidecar injector's webhook serving certificate (GKE): generate, validate, keep stable.
 */
export * from './types';
export {
  generateCa,
  generateCaOptionProblems,
  DEFAULT_CA_ALGORITHM,
  DEFAULT_CA_VALIDITY_DAYS,
  DEFAULT_ORGANIZATION,
  DEFAULT_ROOT_VALIDITY_DAYS,
} from './generate';
export type { GenerateCaOptions } from './generate';
export { validateCaFiles } from './validate';
export type { ValidateCaOptions } from './validate';
export { mergeProblems, readCaDir, readExistingCa, loadOrCreateCa, CaFilesError } from './store';
export type { CaDirContents, ExistingCa, ReadExistingOptions, RecordedDigests, ResolvedCa } from './store';
export {
  generateInjectorCerts,
  validateInjectorCerts,
  readExistingInjectorCerts,
  loadOrCreateInjectorCerts,
  injectorDnsNames,
  DEFAULT_INJECTOR_CERT_VALIDITY_DAYS,
  DEFAULT_SERVING_CERT_VALIDITY_DAYS,
  generateServingCert,
  validateServingCert,
  readExistingServingCert,
  loadOrCreateServingCert,
  servingDnsNames,
  SERVING_COMPONENTS,
} from './webhook';
export type { GenerateInjectorCertsOptions, GenerateServingCertOptions, ResolvedInjectorCerts, ResolvedServingCert, ServingComponent, MeshServingComponent } from './webhook';
export {
  secretFiles,
  injectorSecretFiles,
  galleySecretFiles,
  renderServingCertsSecret,
  servingCertsDir,
  GALLEY_CERTS_DIR,
  GALLEY_CERTS_MANIFEST,
  clusterSecretFiles,
  clusterSecretObjects,
  secretKeyFiles,
  renderCacertsSecret,
  renderInjectorCertsSecret,
  SECRETS_DIR,
  INJECTOR_CERTS_DIR,
  CACERTS_MANIFEST,
  INJECTOR_CERTS_MANIFEST,
  SECRETS_RENDERED_APART,
  secretsRenderedApartFor,
} from './secret-files';
export type { ClusterSecrets, SecretRenderedApart } from './secret-files';
