import { SetterProblem } from './types';

/**
 * Reads `NAME=VALUE` arguments (split at the first `=`, so values may contain `=`).
 * A name given twice with different values is refused rather than silently resolved.
 */
export function parseAssignments(args: readonly string[]): { values: Record<string, string>; problems: SetterProblem[] } {
  const values: Record<string, string> = Object.create(null);
  const problems: SetterProblem[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) {
      problems.push({ message: `${JSON.stringify(arg)} is not NAME=VALUE` });
      continue;
    }
    const name = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    if (Object.prototype.hasOwnProperty.call(values, name) && values[name] !== value) {
      problems.push({ message: `setter ${JSON.stringify(name)} is given twice with different values` });
      continue;
    }
    values[name] = value;
  }
  return { values, problems };
}
