import { Command, CommanderError } from 'commander';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { CliIO } from '../../src/cli/io';
import { registerLint } from '../../src/cli/lint';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lint');

/** Runs `lint ARGS` through commander with captured output; returns the exit code the error carries. */
async function lint(args: string[], opts: { cwd?: string; stdin?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    env: {},
    cwd: opts.cwd ?? FIXTURES,
    ...(opts.stdin !== undefined ? { stdin: async () => opts.stdin! } : {}),
  };
  const program = new Command('asmpkg').exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerLint(program, io);
  for (const cmd of program.commands) cmd.exitOverride();
  let code = 0;
  try {
    await program.parseAsync(['lint', ...args], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : -1;
    else {
      code = (e as { exitCode: number }).exitCode;
      if ((e as Error).message) err.push((e as Error).message);
    }
  }
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('asmpkg lint', () => {
  test('clean input exits 0 with a summary', async () => {
    const r = await lint(['valid']);
    expect(r).toEqual({ code: 0, stdout: 'no unsupported ASM features found in 5 files', stderr: '' });
  });

  test('findings exit 1: file:line:col severity rule kind ns/name: what: why, then the field and the fix', async () => {
    const r = await lint(['invalid/envoy-filter.yaml', 'invalid/mongo-l7.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      'invalid/envoy-filter.yaml:3:1: error traffic.envoy-filter: EnvoyFilter shop/add-header: custom Envoy filter: ASM 1.4 does not support custom Envoy filters',
      '    field: kind; fix: remove the EnvoyFilter; express the behaviour with VirtualService/DestinationRule routing rules',
      'invalid/mongo-l7.yaml:10:5: warning traffic.mongo-l7: Service shop/orders-db: MongoDB L7 (port name mongo): ASM 1.4 has no MongoDB L7 support; it may work as a TCP byte stream',
      '    field: spec.ports[0].name; fix: name the port tcp-mongo (or protocol TCP) and treat MongoDB as a TCP byte stream',
      '2 findings (1 error, 1 warning) in 2 files',
    ]);
    expect(r.stderr).toBe('');
  });

  test('--fail-on error lets warnings pass', async () => {
    expect((await lint(['invalid/mongo-l7.yaml', '--fail-on', 'error'])).code).toBe(0);
    expect((await lint(['invalid/mongo-l7.yaml'])).code).toBe(1);
  });

  test('directories are searched recursively for yaml, yml and json, in a stable order', async () => {
    const r = await lint(['.', '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.profile).toBe('gke');
    expect(json.errors).toEqual([]);
    const files = [...new Set(json.findings.map((f: { file: string }) => f.file))];
    expect(files).toEqual([...files].sort());
    expect(files).toContain(path.join('invalid', 'zipkin.yaml'));
    // expected.json is read (it is .json) but holds no Kubernetes objects.
    expect(json.findings.filter((f: { file: string }) => f.file === 'expected.json')).toEqual([]);
    // The on-prem-only fixtures are clean on gke.
    expect(files).not.toContain(path.join('invalid', 'metrics-stackdriver-onprem.yaml'));
  });

  test('--profile selects statuses', async () => {
    const r = await lint(['invalid/metrics-stackdriver-onprem.yaml', '--profile', 'onprem', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings).toEqual([
      {
        rule: 'observability.metrics-stackdriver',
        severity: 'error',
        file: 'invalid/metrics-stackdriver-onprem.yaml',
        line: 12,
        column: 11,
        apiVersion: 'install.istio.io/v1alpha2',
        kind: 'IstioControlPlane',
        name: 'asm-onprem',
        field: 'spec.values.telemetry.v2.stackdriver.enabled',
        message: 'Stackdriver telemetry enabled',
        reason: 'Stackdriver metrics, logging and tracing are not available on GKE on-prem; only Prometheus/Grafana are',
        fix: 'on-prem, send metrics to Prometheus',
      },
    ]);
    expect((await lint(['invalid/metrics-stackdriver-onprem.yaml', '--profile', 'gke'])).code).toBe(0);
  });

  test('- reads standard input', async () => {
    const r = await lint(['-'], { stdin: 'apiVersion: rbac.istio.io/v1alpha1\nkind: ClusterRbacConfig\nmetadata: {name: default}\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<stdin>:2:1: error security\.rbac-v1alpha1: ClusterRbacConfig default: /);
  });

  test('a missing file exits 2 and names the file; other inputs are still linted', async () => {
    const r = await lint(['nope.yaml', 'invalid/envoy-filter.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('asmpkg: nope.yaml: no such file or directory');
    expect(r.stdout).toMatch(/traffic\.envoy-filter/);
    expect(r.stdout.split('\n').pop()).toBe(
      'check incomplete: 1 input error (on stderr), so some manifests were not checked; 1 finding (1 error, 0 warnings) in the 1 file read',
    );
  });

  test('only a missing file: exit 2, never the clean line', async () => {
    const r = await lint(['nope.yaml']);
    expect(r).toEqual({
      code: 2,
      stdout: 'check incomplete: 1 input error (on stderr), so some manifests were not checked; no findings in the 0 files read',
      stderr: 'asmpkg: nope.yaml: no such file or directory',
    });
  });

  test('an empty directory, or one without YAML/JSON files, fails: no manifests found', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'asmpkg-lint-'));
    mkdirSync(path.join(dir, 'empty'));
    mkdirSync(path.join(dir, 'docs', 'deep'), { recursive: true });
    writeFileSync(path.join(dir, 'docs', 'deep', 'README.md'), '# not a manifest\n');
    try {
      const r = await lint(['empty'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('asmpkg: no manifests found in empty (no *.yaml, *.yml or *.json files)');
      expect(r.stdout).not.toMatch(/no unsupported ASM features found/);
      const both = await lint(['empty', 'docs', '--format', 'json'], { cwd: dir });
      expect(both.code).toBe(2);
      expect(JSON.parse(both.stdout)).toMatchObject({
        complete: false,
        findings: [],
        errors: [
          { file: 'empty', message: 'no manifests found in empty (no *.yaml, *.yml or *.json files)' },
          { file: 'docs', message: 'no manifests found in docs (no *.yaml, *.yml or *.json files)' },
        ],
      });
      expect(both.stderr.split('\n')).toEqual([
        'asmpkg: no manifests found in empty (no *.yaml, *.yml or *.json files)',
        'asmpkg: no manifests found in docs (no *.yaml, *.yml or *.json files)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('one broken file among files with findings: every finding on stdout, the YAML error on stderr, exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'asmpkg-lint-'));
    mkdirSync(path.join(dir, 'm'));
    writeFileSync(path.join(dir, 'm', 'a-envoy.yaml'), readFileSync(path.join(FIXTURES, 'invalid', 'envoy-filter.yaml')));
    writeFileSync(path.join(dir, 'm', 'b-bad.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [x\n');
    writeFileSync(path.join(dir, 'm', 'c-kafka.yaml'), readFileSync(path.join(FIXTURES, 'invalid', 'kafka-l7.yaml')));
    try {
      for (const args of [['m'], ['m', '--fail-on', 'error']]) {
        const r = await lint(args, { cwd: dir });
        expect(r.code).toBe(2);
        const out = r.stdout.split('\n');
        expect(out.filter((l) => /^m\/.*: (error|warning) /.test(l))).toEqual([
          expect.stringMatching(/^m\/a-envoy\.yaml:3:1: error traffic\.envoy-filter: /),
          expect.stringMatching(/^m\/c-kafka\.yaml:12:5: warning traffic\.kafka-l7: /),
        ]);
        expect(out[out.length - 1]).toBe(
          'check incomplete: 1 input error (on stderr), so some manifests were not checked; 2 findings (1 error, 1 warning) in the 3 files read',
        );
        expect(r.stderr).toMatch(/^asmpkg: m\/b-bad\.yaml:\d+:\d+: not valid YAML: [^\n]+$/);
      }
      const json = await lint(['m', '--format', 'json'], { cwd: dir });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout).findings).toHaveLength(2);
      expect(JSON.parse(json.stdout).complete).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad YAML exits 2 with file and line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'asmpkg-lint-'));
    mkdirSync(path.join(dir, 'm'));
    writeFileSync(path.join(dir, 'm', 'bad.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [x\n');
    try {
      const r = await lint(['m'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^asmpkg: m\/bad\.yaml:\d+:\d+: not valid YAML: /);
      expect(r.stdout).toBe('check incomplete: 1 input error (on stderr), so some manifests were not checked; no findings in the 1 file read');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad options exit 2 with the accepted values', async () => {
    const r = await lint(['valid', '--profile', 'eks', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      '--profile: "eks" is not a profile; use one of gke, gke-istioctl, onprem\n--format: "xml" is not a format; use text or json',
    );
  });

  test('--help describes the command', async () => {
    const r = await lint(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: asmpkg lint \[options\] <paths\.\.\.>/);
    expect(r.stdout).toMatch(/--profile <profile>/);
    expect(r.stdout).toMatch(/Exit codes: 0 no findings, 1 findings, 2 unreadable input/);
  });
});

describe('through main', () => {
  test('every stderr line starts with "asmpkg: ", stdout keeps the findings', async () => {
    const { run } = await import('../helpers/cli');
    const dir = mkdtempSync(path.join(tmpdir(), 'asmpkg-lint-'));
    writeFileSync(path.join(dir, 'bad.yaml'), 'kind: [\n');
    try {
      const r = await run(['lint', 'bad.yaml', 'nope', path.join(FIXTURES, 'invalid', 'kiali.yaml')], dir);
      expect(r.code).toBe(2);
      const lines = r.stderr.split('\n');
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).toMatch(/^asmpkg: /);
      expect(r.stdout).toMatch(/error observability\.kiali: /);
      expect(r.stdout).not.toMatch(/no unsupported ASM features found/);
      const bad = await run(['lint', '--format', 'xml', 'x'], dir);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe('asmpkg: --format: "xml" is not a format; use text or json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
