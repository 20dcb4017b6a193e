/** Certificates for Citadel's plugged-in CA (SPEC 8): generate, validate, keep stable. */
export * from './types';
export { generateCa, generateCaOptionProblems, DEFAULT_CA_VALIDITY_DAYS, DEFAULT_ROOT_VALIDITY_DAYS } from './generate';
export type { GenerateCaOptions } from './generate';
export { validateCaFiles } from './validate';
export type { ValidateCaOptions } from './validate';
export { readCaDir, readExistingCa, loadOrCreateCa, CaFilesError } from './store';
export type { CaDirContents, ExistingCa, ResolvedCa } from './store';
export { secretFiles, renderCacertsSecret, SECRETS_DIR } from './secret-files';
