import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { isAsmProfile } from '../../src/catalog/profiles';
import { PACKAGE_FORMAT_DIRS, PACKAGE_PROFILES } from '../../src/packages';
import { run, tempDir } from '../helpers/cli';
import { GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER } from '../helpers/config';
import { PACKAGES_DIR } from './helpers';

/**
 * INSTALL.md runs as written: every file a step applies exists in the package or is made
 * by an earlier step, and every step can be run again (namespaces and Secrets are applied,
 * annotations overwritten). Checked on rendered packages (secrets/ from synth) and on the
 * committed kpt packages (key material from `asmpkg certs` in the step itself).
 */
const work = tempDir('asmpkg-install-md-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The shell commands of a guide's ```sh blocks, continuation lines joined, comments dropped. */
function guideCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^ *```sh\n([\s\S]*?)^ *```$/gm)].map((m) => m[1]);
  return blocks.flatMap((b) =>
    b
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
}

/** Problems of a guide in a package directory; `[]` when it runs as written. */
function guideProblems(dir: string, { policies = true } = {}): string[] {
  const commands = guideCommands(fs.readFileSync(path.join(dir, 'INSTALL.md'), 'utf8'));
  const problems: string[] = [];
  const made = new Set<string>();
  for (const line of commands) {
    for (const cmd of line.split(/\s*(?:&&|\|\||\|)\s*/)) {
      const words = cmd.split(/\s+/);
      const [tool, ...args] = words;
      const exists = (p: string) => made.has(p) || fs.existsSync(path.join(dir, p));
      if (tool === 'curl') for (const a of args.filter((a) => /^https?:/.test(a))) made.add(a.split('/').pop()!);
      if (tool === 'tar') {
        const archive = args[args.length - 1];
        if (!exists(archive)) problems.push(`${cmd}: ${archive} is made by no earlier step`);
        made.add(archive.replace(/-linux\.tar\.gz$/, ''));
      }
      if (tool === 'asmpkg' && args[0] === 'certs') {
        const out = args[args.indexOf('--out') + 1];
        const files = args.includes('--sidecar-injector') || args.includes('--galley') || args.includes('--td-sidecar-injector') ? ['root-cert.pem', 'cert-chain.pem', 'key.pem'] : ['ca-cert.pem', 'ca-key.pem', 'root-cert.pem', 'cert-chain.pem'];
        for (const f of files) made.add(`${out}/${f}`);
      }
      if (tool === 'test' && args[0] === '-f') continue;
      if (/istioctl$/.test(tool)) {
        const bin = tool.split('/')[0];
        if (!made.has(bin)) problems.push(`${cmd}: ${tool} is unpacked by no earlier step`);
      }
      if (['kubectl', 'anthoscli'].includes(tool) || /istioctl$/.test(tool)) {
        args.forEach((a, i) => {
          if (a === '-f' && args[i + 1] !== '-' && !exists(args[i + 1])) problems.push(`${cmd}: ${args[i + 1]} does not exist`);
          const from = /^--from-file=[^=]+=(.*)$/.exec(a);
          if (from && !made.has(from[1])) problems.push(`${cmd}: ${from[1]} is made by no earlier step`);
        });
      }
      if (tool === 'kubectl') {
        if (args[0] === 'create' && args[1] !== 'secret' && !args.includes('--dry-run=client') && !line.includes('kubectl get namespace')) {
          problems.push(`${cmd}: fails on a second run (apply, or create --dry-run=client -o yaml | kubectl apply -f -)`);
        }
        if (args[0] === 'create' && args[1] === 'secret' && !args.includes('--dry-run=client')) problems.push(`${cmd}: fails on a second run`);
        if ((args[0] === 'annotate' || args[0] === 'label') && !args.includes('--overwrite') && !args.some((a) => a.endsWith('-'))) {
          problems.push(`${cmd}: fails on a second run without --overwrite`);
        }
      }
    }
  }
  if (policies && !commands.some((c) => c.includes('kubectl apply -f policies/'))) problems.push('policies/ is applied by no step');
  return problems;
}

describe('INSTALL.md of a rendered package runs as written', () => {
  const clusters: { name: string; mesh?: { mtls?: string; namespacePolicies?: unknown[] }; [k: string]: unknown }[] = [
    { ...GKE_CLUSTER, mesh: { mtls: 'STRICT', namespacePolicies: [{ namespace: 'shop', mtls: 'STRICT' }] } },
    { ...GKE_CLUSTER, name: 'asm-gke-old', kcc: 'anthoscli' },
    ISTIOCTL_CLUSTER,
    { ...ONPREM_CLUSTER, certificates: { algorithm: 'ecdsa-p256' }, mesh: { namespacePolicies: [{ namespace: 'shop', mtls: 'STRICT' }] } },
  ];
  let out: string;
  beforeAll(async () => {
    fs.writeFileSync(path.join(work, 'config.yaml'), stringify({ clusters }));
    const r = await run(['synth', '--config', 'config.yaml', '--out', 'out', '--quiet'], work);
    expect(r.stderr).toBe('');
    out = path.join(work, 'out');
  });

  test.each(clusters.map((c) => c.name))('%s', (name) => {
    const dir = path.join(out, name);
    expect(guideProblems(dir)).toEqual([]);
    const guide = fs.readFileSync(path.join(dir, 'INSTALL.md'), 'utf8');
    // the namespace policies' namespaces exist before the policies are applied
    if (clusters.find((c) => c.name === name)!.mesh?.namespacePolicies) {
      expect(guide.indexOf('kubectl create namespace shop')).toBeLessThan(guide.indexOf('kubectl apply -f policies/'));
    }
  });

  test('the policies reach every route: policies/ is applied after both install routes', () => {
    const guide = fs.readFileSync(path.join(out, 'asm-onprem', 'INSTALL.md'), 'utf8');
    expect(guide.lastIndexOf('kubectl apply -f policies/')).toBeGreaterThan(guide.indexOf('istioctl manifest apply'));
    expect(guide.lastIndexOf('kubectl apply -f policies/')).toBeGreaterThan(guide.indexOf('kubectl apply -f in-cluster/'));
    const gke = fs.readFileSync(path.join(out, 'asm-gke', 'INSTALL.md'), 'utf8');
    expect(gke.lastIndexOf('kubectl apply -f policies/')).toBeGreaterThan(gke.indexOf('anthoscli apply -f control-plane'));
    const policies = fs.readFileSync(path.join(out, 'asm-gke', 'policies', 'policies.yaml'), 'utf8');
    for (const kind of ['MeshPolicy', 'Policy', 'DestinationRule']) expect(policies).toMatch(new RegExp(`^kind: ${kind}$`, 'm'));
    expect(fs.readdirSync(path.join(out, 'asm-gke', 'in-cluster')).join(' ')).not.toMatch(/polic/);
  });

  test('which anthoscli each kcc flavour is for', () => {
    expect(fs.readFileSync(path.join(out, 'asm-gke', 'INSTALL.md'), 'utf8')).toContain("today's anthoscli");
    expect(fs.readFileSync(path.join(out, 'asm-gke-old', 'INSTALL.md'), 'utf8')).toContain('the anthoscli of March 2020');
  });

  test('the checker has teeth', () => {
    const bad = path.join(work, 'bad');
    fs.mkdirSync(bad, { recursive: true });
    fs.writeFileSync(
      path.join(bad, 'INSTALL.md'),
      ['```sh', 'kubectl apply -f secrets/missing.yaml', 'kubectl create namespace p && kubectl annotate namespace p a=b', 'kubectl label namespace p x=y', '```', ''].join('\n'),
    );
    expect(guideProblems(bad)).toHaveLength(5);
  });
});

describe.each(['v1', 'v0'] as const)('INSTALL.md of the committed kpt %s packages runs as written', (format) => {
  test.each(PACKAGE_PROFILES)('%s', (profile) => {
    const dir = path.join(PACKAGES_DIR, PACKAGE_FORMAT_DIRS[format], profile);
    expect(fs.existsSync(path.join(dir, 'secrets'))).toBe(false);
    // ASM profiles install a mesh whose policies/ must be applied; the add-on's have none
    expect(guideProblems(dir, { policies: isAsmProfile(profile) })).toEqual([]);
    // every shell variable a step reads is one the guide has the user set first
    const guide = fs.readFileSync(path.join(dir, 'INSTALL.md'), 'utf8');
    const defined = new Set([...(/^([A-Z_]+=\S+(?: [A-Z_]+=\S+)*)$/m.exec(guide)?.[1] ?? '').matchAll(/([A-Z_]+)=/g)].map((m) => m[1]));
    expect(defined.size).toBeGreaterThan(0);
    // ... or one a step sets itself from a command (traffic-director's KCC=$(kubectl config current-context))
    for (const m of guide.matchAll(/^\s*([A-Z_]+)=\$\(/gm)) defined.add(m[1]);
    const used = new Set([...guide.matchAll(/\$\{?([A-Z_]+)\}?/g)].map((m) => m[1]).filter((v) => v !== 'HOME'));
    expect([...used].filter((v) => !defined.has(v))).toEqual([]);
  });
});
