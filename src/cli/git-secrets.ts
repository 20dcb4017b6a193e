import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { CliError } from './io';

/**
 * Secrets must never be committed by accident: in a Git work tree each secret file must
 * be ignored (the package's own secrets/.gitignore does that, unless something overrides
 * it), and must not already be tracked (ignore rules do not apply to tracked files).
 *
 * Git runs in OUT itself, which exists by now and holds the staging, so the check sees
 * the work tree wherever OUT sits in it, its root included: `secrets` are the final
 * paths (relative to OUT), checked for being tracked; `staged` is where the same files
 * are staged (also relative to OUT), checked with their secrets/.gitignore in place.
 */
export function refuseTrackedSecrets(outDir: string, secrets: readonly string[], staged: (rel: string) => string): void {
  if (secrets.length === 0) return;
  const git = (args: string[], input?: string) =>
    spawnSync('git', args, { cwd: outDir, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  const inside = git(['rev-parse', '--is-inside-work-tree']);
  if (inside.error || inside.status !== 0 || inside.stdout.trim() !== 'true') return;

  // What Git tracks in the clusters' directories (one call, however many secrets), as literal paths.
  const clusters = [...new Set(secrets.map((rel) => rel.split('/')[0]))];
  const tracked = git(['--literal-pathspecs', 'ls-files', '-z', '--', ...clusters]);
  if (tracked.error || tracked.status !== 0) {
    throw new CliError(`asmpkg: ${outDir}: git ls-files failed, so asmpkg cannot tell whether Git tracks its secrets there; render outside the repository or fix git`, 2);
  }
  const wanted = new Set(secrets);
  const first = tracked.stdout.split('\0').find((rel) => wanted.has(rel));
  if (first) {
    const file = path.join(outDir, first);
    throw new CliError(
      `asmpkg: ${file}: a secret asmpkg writes is tracked by Git; remove it from the index ` +
        `(git rm --cached ${file}) and keep secrets/ ignored, or render to a directory outside the repository`,
      2,
    );
  }

  // Exit 0: some are ignored (listed); 1: none is; anything else: git could not tell, so refuse.
  const checked = git(['check-ignore', '-z', '--stdin'], secrets.map(staged).join('\0'));
  const ignored = new Set(checked.status === 0 ? checked.stdout.split('\0').filter(Boolean) : []);
  const exposed = checked.status === 0 || checked.status === 1 ? secrets.find((rel) => !ignored.has(staged(rel))) : secrets[0];
  if (exposed !== undefined) {
    throw new CliError(
      `asmpkg: ${path.join(outDir, exposed)}: this secret would not be ignored by Git in the work tree around --out; ` +
        `add the secrets/ directories to .gitignore (or render to a directory outside the repository)`,
      2,
    );
  }
}
