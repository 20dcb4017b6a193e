/** `asmpkg lint`: user manifests checked against the ASM support matrix. */
export * from './model';
export { LINT_RULES } from './rules';
export { parseManifests, objectsOf } from './documents';
export { lintResource, lintText, lintObjects, fails, sortFindings } from './engine';
export type { LintResult } from './engine';
export { readInputs, MANIFEST_EXTENSIONS } from './inputs';
export { findingLine, inputErrorLine, summaryLine, lintJson } from './format';
export { runLint } from './run';
export type { LintRunOptions, LintIO } from './run';
