import { EditBook } from './edits';
import { loadPackages } from './load';
import { PackageFile, SetterProblem } from './types';
import { applyV0, refsWithoutDefinitions } from './v0';

/**
 * Checks that every kpt v0 `$ref` in a package tree resolves to a Kptfile definition,
 * and that every substitution's markers refer to setters. Changes nothing.
 */
export function checkSetterRefs(files: readonly PackageFile[]): SetterProblem[] {
  const book = new EditBook();
  for (const p of loadPackages(files, book)) {
    if (p.v0) applyV0(p.v0, new Map(), false, book);
    else refsWithoutDefinitions(p.files, book);
  }
  return book.problems;
}
