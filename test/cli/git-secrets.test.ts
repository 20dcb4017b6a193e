import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { configText, ONPREM_CLUSTER } from '../helpers/config';
import { run, tempDir, treeState } from '../helpers/cli';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** The tracked-secret check runs in OUT itself, so it holds wherever OUT sits in a work tree. */
describe.each([
  ['the repository root (-o .)', '.', ''],
  ['a directory of the repository', 'deploy/out', 'deploy/out/'],
])('OUT at %s', (_where, out, prefix) => {
  test('renders with its secrets ignored; a secret Git tracks is refused (exit 2) and never overwritten', async () => {
    const repo = tempDir('asmpkg-gitroot-');
    git(repo, 'init', '-q');
    writeFileSync(path.join(repo, 'asmpkg.yaml'), configText(ONPREM_CLUSTER));
    const first = await run(['synth', '-c', 'asmpkg.yaml', '-o', out, '-q'], repo);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(git(repo, 'status', '--porcelain', '--untracked-files=all')).not.toMatch(/secrets\/(?!\.gitignore)/);

    const key = `${prefix}asm-onprem/secrets/ca-key.pem`;
    git(repo, 'add', '-f', key);
    git(repo, 'commit', '-qm', 'oops');
    const kept = readFileSync(path.join(repo, key));
    const before = treeState(path.join(repo, prefix || '.'));
    const r = await run(['synth', '-c', 'asmpkg.yaml', '-o', out, '--regenerate-ca', 'asm-onprem'], repo);
    expect([r.code, r.stderr]).toEqual([
      2,
      `asmpkg: ${path.join(repo, key)}: a secret asmpkg writes is tracked by Git; remove it from the index (git rm --cached ${path.join(repo, key)}) ` +
        'and keep secrets/ ignored, or render to a directory outside the repository',
    ]);
    expect(readFileSync(path.join(repo, key))).toEqual(kept);
    expect(treeState(path.join(repo, prefix || '.'))).toEqual(before);
  });
});
