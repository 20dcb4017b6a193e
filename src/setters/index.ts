/**
 * kpt-style setters for package directories and in-memory packages.
 * Formats: kpt v0 openAPI setters/substitutions (Kptfile kpt.dev/v1alpha1), the
 * inline x-kustomize setters of early 2020, and kpt v1 apply-setters (kpt.dev/v1).
 */
export { applySetters, NO_KPTFILE } from './apply';
export { summariseValue } from './display';
export { checkSetterRefs } from './refs';
export { readPackageDir, readPackageTree, recoverInterruptedSet, setPackageDir, SET_JOURNAL, writeFilesAtomically } from './disk';
export type { CommitHooks, DiskSetOptions, PackageTree, Recovery } from './disk';
export { parseAssignments } from './assignments';
export { ENV_PREFIX, setterValuesFromEnv } from './env';
export { formatSetterProblem } from './types';
export type { FieldChange, PackageFile, SetOptions, SetOutcome, SetterProblem } from './types';
