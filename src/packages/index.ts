/** The committed kpt packages (`packages/<profile>/`): rendered with placeholders, annotated with setters. */
export { ASM_SETTERS, FIELD_RULES, KNOWN_SUBSTITUTIONS, valuesFromSetters } from './asm-setters';
export type { AsmSetter } from './asm-setters';
export { generatePackage, PACKAGE_FORMAT_DIRS, PACKAGE_PROFILES, packageTree } from './generate';
export type { GeneratedPackage } from './generate';
export { packageSpec, PLACEHOLDERS } from './spec';
export type { PackageValues } from './spec';
