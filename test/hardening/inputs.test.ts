/**
 * Hardening (issue 17): inputs that are not what they should be, through the CLI.
 * FIFOs, devices, sockets and directories where a file is expected are refused at once
 * (exit 2, one line naming the path and the rule) for every file input: the config, the
 * CA files of certificates.dir, key material kept in OUT, lint paths and standard input,
 * the files `asmpkg set` reads. CA files must be PEM blocks and nothing else. Messages
 * never quote what could be key material, and never carry raw terminal controls.
 */
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { configText, GKE_CLUSTER, ONPREM_CLUSTER, withField } from '../helpers/config';
import { run, tempDir, treeState } from '../helpers/cli';
import { leftoverStaging, STACK_LINE, stderrLines } from '../helpers/hardening';

const CLI = path.resolve(__dirname, '../../bin/asmpkg.js');
const CA_FIXTURE = path.join(__dirname, '..', 'fixtures', 'certs', 'TEST-KEYS-openssl-ecdsa-ca');
const PACKAGES = path.join(__dirname, '..', '..', 'packages');

function mkfifo(p: string): void {
  execFileSync('mkfifo', [p]);
}

/** exit 2, exactly the given lines on stderr, no stack trace. */
function expectLines(r: { code: number; stderr: string }, lines: (string | RegExp)[]): void {
  const got = stderrLines(r as never);
  expect(got.filter((l) => STACK_LINE.test(l))).toEqual([]);
  expect({ code: r.code, lines: got }).toEqual({ code: 2, lines: lines.map((l) => (typeof l === 'string' ? l : expect.stringMatching(l))) });
}

describe('synth: a config that is not a regular file', () => {
  test.each([
    ['a FIFO', (p: string) => mkfifo(p), 'is a FIFO (named pipe), not a regular file'],
    ['/dev/zero behind a symlink', (p: string) => symlinkSync('/dev/zero', p), 'is a character device, not a regular file'],
  ])('%s is refused at once', async (_name, make, rule) => {
    const dir = tempDir('asmpkg-inputs-');
    make(path.join(dir, 'c.yaml'));
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], dir);
    expectLines(r, [`asmpkg: c.yaml: ${rule}; asmpkg reads only regular files (give a YAML config file)`]);
    expect(leftoverStaging(dir)).toEqual([]);
  });
});

describe('synth: CA files of certificates.dir', () => {
  /** A workspace whose config uses a copy of the fixture CA, after `change` was made to it. */
  async function withCa(change: (ca: string) => void) {
    const dir = tempDir('asmpkg-inputs-');
    cpSync(CA_FIXTURE, path.join(dir, 'ca'), { recursive: true });
    rmSync(path.join(dir, 'ca', 'README.md'));
    writeFileSync(path.join(dir, 'c.yaml'), configText(GKE_CLUSTER, withField(ONPREM_CLUSTER, 'certificates', { dir: 'ca' })));
    const good = await run(['synth', '-c', 'c.yaml', '-o', 'out'], dir);
    expect([good.code, good.stderr]).toEqual([0, '']);
    const before = treeState(path.join(dir, 'out'));
    change(path.join(dir, 'ca'));
    writeFileSync(path.join(dir, 'c.yaml'), readFileSync(path.join(dir, 'c.yaml'), 'utf8') + '# changed\n');
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], dir);
    expect(treeState(path.join(dir, 'out'))).toEqual(before);
    expect(leftoverStaging(dir)).toEqual([]);
    return r;
  }
  const field = 'asmpkg: c.yaml: clusters[1].certificates.dir';

  test('a FIFO in place of ca-cert.pem: refused at once, not waited on', async () => {
    const r = await withCa((ca) => {
      rmSync(path.join(ca, 'ca-cert.pem'));
      mkfifo(path.join(ca, 'ca-cert.pem'));
    });
    // One line: the file is there but unreadable, not also "is missing".
    expect(stderrLines(r)).toEqual([`${field}: ca/ca-cert.pem: is a FIFO (named pipe), not a regular file; asmpkg reads only regular files`]);
    expect(r.code).toBe(2);
  });

  test('/dev/zero in place of root-cert.pem', async () => {
    const r = await withCa((ca) => {
      rmSync(path.join(ca, 'root-cert.pem'));
      symlinkSync('/dev/zero', path.join(ca, 'root-cert.pem'));
    });
    expect(stderrLines(r)).toEqual([`${field}: ca/root-cert.pem: is a character device, not a regular file; asmpkg reads only regular files`]);
    expect(r.code).toBe(2);
  });

  test('a file over the PEM cap', async () => {
    const r = await withCa((ca) => writeFileSync(path.join(ca, 'cert-chain.pem'), Buffer.alloc(1024 * 1024 + 1, 0x41)));
    expect(stderrLines(r)).toEqual([`${field}: ca/cert-chain.pem: is larger than 1 MiB, the limit for a PEM file; refused`]);
  });

  test.each([
    ['junk after the last block', (t: string) => t + 'trailing junk\n', `has text that is not PEM after PEM block 1 (line ${readFileSync(path.join(CA_FIXTURE, 'ca-cert.pem'), 'utf8').split('\n').length}); the file must hold only certificate PEM blocks`],
    ['text before the first block (an openssl text dump)', (t: string) => 'Certificate:\n    Data: ...\n' + t, 'has text that is not PEM before the first PEM block (line 1); the file must hold only certificate PEM blocks'],
    ['a broken block', (t: string) => t.replace('-----END CERTIFICATE-----', '-----END CERT-----'), 'PEM block 1 (line 1) is not a complete, well-formed block; the file must hold only certificate PEM blocks'],
  ])('ca-cert.pem with %s', async (_name, edit, rule) => {
    const r = await withCa((ca) => writeFileSync(path.join(ca, 'ca-cert.pem'), edit(readFileSync(path.join(ca, 'ca-cert.pem'), 'utf8'))));
    expect(stderrLines(r)).toContainEqual(`${field}: ca/ca-cert.pem: ${rule}`);
    expect(r.code).toBe(2);
  });

  test('junk between the blocks of cert-chain.pem', async () => {
    const r = await withCa((ca) => {
      const chain = readFileSync(path.join(ca, 'cert-chain.pem'), 'utf8');
      writeFileSync(path.join(ca, 'cert-chain.pem'), chain.replace('-----END CERTIFICATE-----\n', '-----END CERTIFICATE-----\nsomething else\n'));
    });
    expect(stderrLines(r)).toContainEqual(expect.stringMatching(/ca\/cert-chain\.pem: has text that is not PEM after PEM block 1 \(line \d+\)/));
  });

  test('a key file with an EC PARAMETERS block before the key (Citadel reads only the first block)', async () => {
    const r = await withCa((ca) => {
      const key = readFileSync(path.join(ca, 'ca-key.pem'), 'utf8');
      writeFileSync(path.join(ca, 'ca-key.pem'), '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n' + key);
    });
    expect(stderrLines(r)).toContainEqual(`${field}: ca/ca-key.pem: PEM block 1 (line 1) is a EC PARAMETERS block; the file must hold only private key PEM blocks`);
  });

  test('a key file with junk after the key: refused without quoting either', async () => {
    const keyText = readFileSync(path.join(CA_FIXTURE, 'ca-key.pem'), 'utf8');
    const r = await withCa((ca) => writeFileSync(path.join(ca, 'ca-key.pem'), keyText + 'x'.repeat(100) + '\n'));
    expect(stderrLines(r)).toContainEqual(expect.stringMatching(/ca\/ca-key\.pem: has text that is not PEM after PEM block 1/));
    for (const line of keyText.split('\n').filter((l) => l.length > 20)) expect(r.stderr).not.toContain(line);
  });
});

describe('synth as a real process (needs lib/ built, as `npm test` does)', () => {
  test('a FIFO among the CA files: the process exits 2 by itself, no signal needed', async () => {
    const dir = tempDir('asmpkg-inputs-');
    cpSync(CA_FIXTURE, path.join(dir, 'ca'), { recursive: true });
    rmSync(path.join(dir, 'ca', 'ca-key.pem'));
    mkfifo(path.join(dir, 'ca', 'ca-key.pem'));
    writeFileSync(path.join(dir, 'c.yaml'), configText(withField(ONPREM_CLUSTER, 'certificates', { dir: 'ca' })));
    const child = spawn(process.execPath, [CLI, 'synth', '-c', 'c.yaml', '-o', 'out'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('ca/ca-key.pem: is a FIFO (named pipe), not a regular file; asmpkg reads only regular files');
  });
});

describe('synth: key material kept in OUT that is not a regular file', () => {
  test('a FIFO in place of a kept key: refused at once (exit 2), OUT unchanged', async () => {
    const dir = tempDir('asmpkg-inputs-');
    writeFileSync(path.join(dir, 'c.yaml'), configText(ONPREM_CLUSTER));
    expect((await run(['synth', '-c', 'c.yaml', '-o', 'out'], dir)).code).toBe(0);
    const key = path.join(dir, 'out', 'asm-onprem', 'secrets', 'ca-key.pem');
    rmSync(key);
    mkfifo(key);
    writeFileSync(path.join(dir, 'c.yaml'), configText(ONPREM_CLUSTER) + '# changed\n');
    const before = treeState(path.join(dir, 'out'));
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], dir);
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toContainEqual(expect.stringContaining(`${key}: is a FIFO (named pipe), not a regular file; asmpkg reads only regular files`));
    expect(treeState(path.join(dir, 'out'))).toEqual(before);
  });
});

describe('lint: inputs', () => {
  test('a FIFO, a device and a directory holding a FIFO named like a manifest: each refused, the rest linted', async () => {
    const dir = tempDir('asmpkg-inputs-');
    mkfifo(path.join(dir, 'pipe.yaml'));
    mkdirSync(path.join(dir, 'd'));
    mkfifo(path.join(dir, 'd', 'inner.yaml'));
    writeFileSync(path.join(dir, 'd', 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const r = await run(['lint', 'pipe.yaml', '/dev/zero', 'd'], dir);
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toEqual([
      'asmpkg: pipe.yaml: is a FIFO (named pipe), not a regular file; asmpkg reads only regular files',
      'asmpkg: /dev/zero: is a character device, not a regular file; asmpkg reads only regular files',
      'asmpkg: d/inner.yaml: is a FIFO (named pipe), not a regular file; asmpkg reads only regular files',
    ]);
    expect(r.stdout).toMatch(/check incomplete: 3 input errors .* in the 1 file read$/);
  });

  test('standard input over the cap is refused', async () => {
    const dir = tempDir('asmpkg-inputs-');
    const r = await run(['lint', '-'], dir, { stdin: async () => 'x'.repeat(16 * 1024 * 1024 + 1) });
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toEqual(['asmpkg: <stdin>: is larger than 16 MiB, the limit for standard input; refused']);
  });

  test('a YAML error in a Secret: file:line:column and the reason, never the key', async () => {
    const dir = tempDir('asmpkg-inputs-');
    const key = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
    writeFileSync(path.join(dir, 's.yaml'), `apiVersion: v1\nkind: Secret\nmetadata: {name: tls}\ndata:\n  tls.key: "${key}\n`);
    writeFileSync(path.join(dir, 't.yaml'), `apiVersion: v1\nkind: Secret\nmetadata: {name: tls}\ndata:\n  tls.key: ${key}\n ${key}: x\n`);
    const r = await run(['lint', 's.yaml', 't.yaml'], dir);
    expect(r.code).toBe(2);
    const lines = stderrLines(r);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(/^asmpkg: [st]\.yaml:\d+:\d+: not valid YAML: /);
    expect(r.stderr + r.stdout).not.toContain(key.slice(0, 12));
  });

  test('terminal controls and bidi characters in names are escaped, in text and JSON output', async () => {
    const dir = tempDir('asmpkg-inputs-');
    const name = 'evil\u001b[2J\u001b]0;pwned\u0007\u202ename\u009b31m';
    writeFileSync(
      path.join(dir, 'f.yaml'),
      `apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: "${name.replace(/[\u0000-\u001f\u007f-\u009f\u202e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"\n  namespace: default\nspec: {}\n`,
    );
    const text = await run(['lint', 'f.yaml'], dir);
    const json = await run(['lint', '--format', 'json', 'f.yaml'], dir);
    for (const r of [text, json]) {
      expect(r.code).toBe(1);
      // eslint-disable-next-line no-control-regex
      expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    }
    expect(text.stdout).toContain('EnvoyFilter default/evil\\u001b[2J\\u001b]0;pwned\\u0007\\u202ename\\u009b31m');
    // The JSON still says the name exactly.
    expect((JSON.parse(json.stdout) as { findings: { name: string }[] }).findings[0].name).toBe(name);
  });

  test('a SIGTERM while `lint -` waits on standard input ends the process (needs lib/ built, as `npm test` does)', async () => {
    const child = spawn(process.execPath, [CLI, 'lint', '-'], { stdio: ['pipe', 'ignore', 'ignore'] });
    // Standard input stays open: lint is (or will be) reading it.
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    expect(code === 143 || signal === 'SIGTERM').toBe(true);
  });
});

describe('set: package files that are not what they should be', () => {
  function pkg(): string {
    const dir = tempDir('asmpkg-inputs-set-');
    cpSync(path.join(PACKAGES, 'gke'), path.join(dir, 'p'), { recursive: true });
    return dir;
  }

  test('a YAML error in a Secret of the package: file:line:column, never the key; nothing changed', async () => {
    const dir = pkg();
    const key = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
    writeFileSync(path.join(dir, 'p', 'secret.yaml'), `apiVersion: v1\nkind: Secret\nmetadata: {name: tls}\ndata:\n  tls.key: "${key}\n`);
    const before = treeState(path.join(dir, 'p'));
    const r = await run(['set', 'p', 'gcloud.core.project=my-proj'], dir);
    expect(r.code).toBe(2);
    expect(stderrLines(r)[0]).toMatch(/^asmpkg: p\/secret\.yaml:\d+:\d+: not valid YAML: /);
    expect(r.stderr + r.stdout).not.toContain(key.slice(0, 12));
    expect(treeState(path.join(dir, 'p'))).toEqual(before);
  });

  test('a FIFO named like a manifest is refused at once', async () => {
    const dir = pkg();
    mkfifo(path.join(dir, 'p', 'pipe.yaml'));
    const r = await run(['set', 'p', 'gcloud.core.project=my-proj'], dir);
    expect(r.code).toBe(2);
    expect(stderrLines(r)[0]).toBe('asmpkg: p/pipe.yaml: is a FIFO (named pipe), not a regular file; asmpkg reads only regular files');
  });

  test('symlinked files and directories are reported by name, not skipped; nothing changed, the targets untouched', async () => {
    const dir = pkg();
    writeFileSync(path.join(dir, 'outside.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x} # {"$ref":"#/definitions/io.k8s.cli.setters.gcloud.core.project"}\n');
    mkdirSync(path.join(dir, 'shared'));
    symlinkSync(path.join(dir, 'outside.yaml'), path.join(dir, 'p', 'linked.yaml'));
    symlinkSync(path.join(dir, 'shared'), path.join(dir, 'p', 'linked-dir'));
    const before = treeState(dir);
    const r = await run(['set', 'p', 'gcloud.core.project=my-proj'], dir);
    expect(r.code).toBe(2);
    const rule = 'is a symbolic link; asmpkg set does not follow links in a package';
    expect(stderrLines(r)).toEqual([
      expect.stringMatching(new RegExp(`^asmpkg: p/linked-dir: ${rule}`)),
      expect.stringMatching(new RegExp(`^asmpkg: p/linked\\.yaml: ${rule}`)),
      'asmpkg: nothing was changed (2 problems)',
    ]);
    expect(treeState(dir)).toEqual(before);
  });

  test.each([
    ['a right-to-left override', 'my\u202eproj', 'U+202E at character 3'],
    ['a non-breaking space', 'my-proj\u00a0', 'U+00A0 at character 8'],
    ['a zero-width space', 'my\u200b-proj', 'U+200B at character 3'],
  ])('a setter value with %s is refused naming the setter, and printed escaped', async (_name, value, where) => {
    const dir = pkg();
    const before = treeState(path.join(dir, 'p'));
    const r = await run(['set', 'p', `gcloud.core.project=${value}`], dir);
    expect(r.code).toBe(2);
    expect(stderrLines(r)[0]).toContain(`setter "gcloud.core.project": value must not contain invisible, bidirectional-control or non-ASCII space characters (${where})`);
    expect(r.stderr).not.toMatch(/[\u202e\u00a0\u200b]/);
    expect(treeState(path.join(dir, 'p'))).toEqual(before);
  });
});

describe('synth: certificates.dir that is not a directory', () => {
  test.each([
    ['a FIFO', (p: string) => mkfifo(p), 'is not a directory'],
    ['missing', () => undefined, 'no such directory'],
  ])('%s: one line naming the field', async (_name, make, rule) => {
    const dir = tempDir('asmpkg-inputs-');
    make(path.join(dir, 'ca'));
    writeFileSync(path.join(dir, 'c.yaml'), configText(withField(ONPREM_CLUSTER, 'certificates', { dir: 'ca' })));
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], dir);
    expectLines(r, [`asmpkg: c.yaml: clusters[0].certificates.dir = "ca": ${rule} (give the directory holding ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem)`]);
  });
});

describe('command-line input echoed back', () => {
  test('an output path and an unknown option holding terminal controls are printed escaped', async () => {
    const dir = tempDir('asmpkg-inputs-');
    writeFileSync(path.join(dir, 'c.yaml'), configText(GKE_CLUSTER));
    const out = 'o\u001b[2Jut';
    const r = await run(['synth', '-c', 'c.yaml', '-o', out], dir);
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(r.stdout + r.stderr).not.toMatch(/\u001b/);
    expect(r.stdout).toContain('to o\\u001b[2Jut/');
    const bad = await run(['lint', '--\u001b]0;x\u0007', 'f.yaml'], dir);
    expect(bad.code).toBe(2);
    // eslint-disable-next-line no-control-regex
    expect(bad.stderr).not.toMatch(/[\u0007\u001b]/);
    expect(bad.stderr).toContain('\\u001b]0;x\\u0007');
  });
});
