import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { CliError, CliIO } from '../../src/cli/io';
import { registerSet } from '../../src/cli/set';
import { copyToTemp, FIXTURES, removeDir, snapshot } from '../setters/helpers';

let root: string;
let out: string[];
let err: string[];

beforeEach(() => {
  root = copyToTemp(FIXTURES, 'asmpkg-cli-set-');
  out = [];
  err = [];
});
afterEach(() => removeDir(root));

function io(env: NodeJS.ProcessEnv = {}): CliIO {
  return { stdout: (l) => out.push(l), stderr: (l) => err.push(l), env, cwd: root };
}

/** Runs `asmpkg ARGS...` with only the set command; resolves to the exit code main would return. */
async function run(args: string[], env?: NodeJS.ProcessEnv): Promise<number> {
  const program = new Command('asmpkg')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerSet(program, io(env));
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' ? 0 : e.exitCode;
    if (e instanceof CliError) {
      err.push(...e.message.split('\n'));
      return e.exitCode;
    }
    throw e;
  }
}

test('--help explains the formats, env vars and --dry-run', async () => {
  expect(await run(['set', '--help'])).toBe(0);
  const help = out.join('');
  expect(help).toContain('set [options] <dir> [assignments...]');
  expect(help).toContain('--dry-run');
  expect(help).toContain('KPT_SET_');
  expect(help).toContain('# kpt-set:');
});

test('sets values and reports each changed field', async () => {
  expect(await run(['set', 'v0-basic', 'gcloud.core.project=my-proj', 'replicas=3'])).toBe(0);
  expect(err).toEqual([]);
  expect(out).toContain(
    'v0-basic/app/deployment.yaml:6: metadata.namespace: PROJECT_ID -> my-proj [gcloud.core.project]',
  );
  expect(out[out.length - 1]).toBe('set 4 change(s) in 2 file(s)');
  expect(fs.readFileSync(path.join(root, 'v0-basic/app/deployment.yaml'), 'utf8')).toContain('replicas: 3 #');
});

test('--dry-run prints what would change and writes nothing', async () => {
  const before = snapshot(root);
  expect(await run(['set', 'v0-basic', 'hub=quay.io/me', '--dry-run'])).toBe(0);
  expect(out).toContain(
    "would set v0-basic/app/deployment.yaml:17: spec.template.spec.containers[0].image: 'gcr.io/example/app:v1.0.0' -> 'quay.io/me/app:v1.0.0' [image, hub]",
  );
  expect(out).toContain('would set v0-basic/Kptfile:41: setter hub: gcr.io/example -> quay.io/me (isSet: true) [hub]');
  expect(out[out.length - 1]).toBe('dry run: 2 change(s) in 2 file(s); nothing written');
  expect(snapshot(root)).toEqual(before);
});

test('problems: one line each, file and line named, exit 2, nothing written', async () => {
  const before = snapshot(root);
  expect(await run(['set', 'v0-basic', 'gcloud.core.projet=x', 'replicas=many', 'oops'])).toBe(2);
  expect(err).toEqual(['asmpkg set: "oops" is not NAME=VALUE', 'asmpkg set: nothing was changed (1 problem)']);
  err = [];
  expect(await run(['set', 'v0-basic', 'gcloud.core.projet=x', 'replicas=many'])).toBe(2);
  expect(err).toEqual([
    'asmpkg set: v0-basic/Kptfile: unknown setter "gcloud.core.projet" (did you mean "gcloud.core.project"?)',
    expect.stringMatching(/^asmpkg set: v0-basic\/Kptfile:\d+: setter "replicas" \(type integer\): value "many" is not an integer$/),
    'asmpkg set: nothing was changed (2 problems)',
  ]);
  err = [];
  expect(await run(['set', 'v0-broken'])).toBe(2);
  expect(err).toContain(
    'asmpkg set: v0-broken/resources.yaml:6: data.zone: $ref "#/definitions/io.k8s.cli.setters.zone" points to no definition in Kptfile',
  );
  expect(snapshot(root)).toEqual(before);
});

test('KPT_SET_ variables come from the command environment; arguments win', async () => {
  expect(await run(['set', 'v0-basic', 'tag=v5'], { KPT_SET_TAG: 'v4', KPT_SET_HUB: 'gcr.io/env', KPT_SET_UNRELATED: '1' })).toBe(0);
  expect(fs.readFileSync(path.join(root, 'v0-basic/app/deployment.yaml'), 'utf8')).toContain("'gcr.io/env/app:v5'");
  expect(err).toEqual(['asmpkg set: warning: KPT_SET_UNRELATED: no setter "unrelated" here; ignored']);
});

test('a missing directory is a usage problem', async () => {
  expect(await run(['set', 'nope'])).toBe(2);
  expect(err[0]).toMatch(/^asmpkg set: nope: .*nope is not a directory$/);
});
