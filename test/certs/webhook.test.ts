/**
 * The sidecar injector's webhook serving certificate (GKE, no Citadel): generated with
 * @peculiar/x509, checked here independently with Node's (OpenSSL's) X509Certificate
 * and a real TLS handshake the way the API server makes it; validated, kept and reused
 * like the on-prem CA.
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { connect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { InputError } from '../../src/config/problems';
import { BACKDATE_MS } from '../../src/certs/generate';
import { INJECTOR_CERTS_DIR, injectorSecretFiles, SECRETS_DIR, SECRETS_RENDERED_APART } from '../../src/certs/secret-files';
import { CaFilesError } from '../../src/certs/store';
import { INJECTOR_CERT_FILE_NAMES, InjectorCerts } from '../../src/certs/types';
import {
  generateInjectorCerts,
  GenerateInjectorCertsOptions,
  injectorDnsNames,
  loadOrCreateInjectorCerts,
  readExistingInjectorCerts,
  validateInjectorCerts,
} from '../../src/certs/webhook';
import { webcrypto, x509 } from '../../src/certs/x509';
import { SidecarInjector } from '../../src/constructs/mesh/sidecar-injector';
import { INJECTOR_CERTS_SECRET_NAME } from '../../src/constructs/security/webhook-cert-secret';
import { RenderedFile } from '../../src/render/types';
import { gkeValues } from '../helpers/mesh-values';
import { keyPair, keyPem } from './build';

const NOW = new Date('2030-03-04T05:06:07.890Z');
const NOW_S = new Date('2030-03-04T05:06:07.000Z').getTime();
const DAY = 24 * 60 * 60 * 1000;
const OPTIONS: GenerateInjectorCertsOptions = { cluster: 'asm-gke', now: NOW };

/** What the API server dials, and the other names of the Service, as the brief lists them. */
const SANS = [
  'istio-sidecar-injector.istio-system.svc',
  'istio-sidecar-injector.istio-system.svc.cluster.local',
  'istio-sidecar-injector.istio-system',
  'istio-sidecar-injector',
];

function nodeCerts(bundle: string): X509Certificate[] {
  return (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? []).map((b) => new X509Certificate(b));
}

/** SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 method 1), from Node's SPKI export. */
function keyIdOf(cert: X509Certificate): string {
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  // P-256 SPKI: the uncompressed point (65 bytes) ends the structure.
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest('hex');
}

let certs: InjectorCerts;
let root: X509Certificate;
let leaf: X509Certificate;

beforeAll(async () => {
  certs = await generateInjectorCerts(OPTIONS);
  root = new X509Certificate(certs['root-cert.pem']);
  leaf = new X509Certificate(certs['cert-chain.pem']);
});

describe('generateInjectorCerts', () => {
  it('names the injector Service of the component catalog', () => {
    expect(injectorDnsNames()).toEqual(SANS);
  });

  it('writes a self-signed ECDSA P-256 CA', () => {
    expect(root.ca).toBe(true);
    expect(root.issuer).toBe(root.subject);
    expect(root.subject).toBe('O=asmpkg\nL=asm-gke\nCN=istio-sidecar-injector webhook CA');
    expect(root.verify(root.publicKey)).toBe(true);
    expect(root.publicKey.asymmetricKeyType).toBe('ec');
    expect(root.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
  });

  it('writes a serving certificate for the Service, issued and signed by the CA, whose key is key.pem', () => {
    expect(nodeCerts(certs['cert-chain.pem'])).toHaveLength(1);
    expect(leaf.ca).toBe(false);
    expect(leaf.subject).toBe(`O=asmpkg\nL=asm-gke\nCN=${SANS[0]}`);
    expect(leaf.subjectAltName).toBe(SANS.map((n) => `DNS:${n}`).join(', '));
    expect(leaf.issuer).toBe(root.subject);
    expect(leaf.checkIssued(root)).toBe(true);
    expect(leaf.verify(root.publicKey)).toBe(true);
    expect(leaf.verify(leaf.publicKey)).toBe(false);
    for (const name of SANS) expect([name, leaf.checkHost(name)]).toEqual([name, name]);
    expect(leaf.checkHost('istio-pilot.istio-system.svc')).toBeUndefined();
    const key = createPrivateKey(certs['key.pem']);
    expect(leaf.checkPrivateKey(key)).toBe(true);
    expect(root.checkPrivateKey(key)).toBe(false);
    expect(key.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(certs['key.pem']).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    expect(leaf.publicKey.export({ type: 'spki', format: 'der' })).toEqual(createPublicKey(key).export({ type: 'spki', format: 'der' }));
  });

  it('holds no CA key: only the serving key is key material', () => {
    for (const file of INJECTOR_CERT_FILE_NAMES) {
      expect([file, /PRIVATE KEY/.test(certs[file])]).toEqual([file, file === 'key.pem']);
    }
  });

  it('sets serverAuth, the key usages of a CA and of an ECDSA server, and SKI/AKI', () => {
    // Node exposes the extended key usage; the rest is read with @peculiar/x509 and
    // the key identifiers are recomputed from Node's view of the keys.
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    const p = { root: new x509.X509Certificate(certs['root-cert.pem']), leaf: new x509.X509Certificate(certs['cert-chain.pem']) };
    const usage = (c: x509.X509Certificate) => c.getExtension(x509.KeyUsagesExtension)!;
    expect([usage(p.root).usages, usage(p.root).critical]).toEqual([x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true]);
    expect([usage(p.leaf).usages, usage(p.leaf).critical]).toEqual([x509.KeyUsageFlags.digitalSignature, true]);
    expect(p.root.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, pathLength: 0, critical: true });
    expect(p.leaf.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: false, critical: true });
    const rootSki = p.root.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
    expect(rootSki).toBe(keyIdOf(root));
    expect(p.leaf.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId).toBe(keyIdOf(leaf));
    expect(p.leaf.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(rootSki);
  });

  it('uses the clock it is given: backdated start, CA 10 years, serving certificate 5 years', () => {
    const start = new Date(NOW_S - BACKDATE_MS);
    expect(new Date(root.validFrom)).toEqual(start);
    expect(new Date(leaf.validFrom)).toEqual(start);
    expect(new Date(root.validTo)).toEqual(new Date(NOW_S + 3650 * DAY));
    expect(new Date(leaf.validTo)).toEqual(new Date(NOW_S + 1825 * DAY));
  });

  it('writes dates from 2050 on as GeneralizedTime, which both parsers and the validation read back', async () => {
    const late = new Date('2045-06-01T00:00:00Z');
    const set = await generateInjectorCerts({ cluster: 'asm-gke', now: late });
    expect(new Date(new X509Certificate(set['root-cert.pem']).validTo)).toEqual(new Date(late.getTime() + 3650 * DAY));
    expect(new x509.X509Certificate(set['root-cert.pem']).notAfter).toEqual(new Date(late.getTime() + 3650 * DAY));
    expect(await validateInjectorCerts(set, { now: late })).toEqual([]);
  });

  it('uses positive 16-byte serials, and a new key pair every time', async () => {
    expect(root.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    expect(leaf.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    const other = await generateInjectorCerts(OPTIONS);
    for (const file of INJECTOR_CERT_FILE_NAMES) expect(other[file]).not.toBe(certs[file]);
  });

  it('serves TLS that a client trusting root-cert.pem accepts for the Service name (what the API server does)', async () => {
    const server = createServer({ cert: certs['cert-chain.pem'], key: certs['key.pem'] }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const handshake = (servername: string, ca: string) =>
      new Promise<{ authorized: boolean; error?: string }>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, servername, ca, rejectUnauthorized: false }, () => {
          resolve({ authorized: socket.authorized, ...(socket.authorizationError ? { error: String(socket.authorizationError) } : {}) });
          socket.end();
        });
        socket.on('error', (e) => resolve({ authorized: false, error: e.message }));
      });
    try {
      // Real time: the certificates of this test start in 2030.
      const live = await generateInjectorCerts({ cluster: 'asm-gke' });
      server.setSecureContext({ cert: live['cert-chain.pem'], key: live['key.pem'] });
      expect(await handshake(SANS[0], live['root-cert.pem'])).toEqual({ authorized: true });
      expect(await handshake('istio-pilot.istio-system.svc', live['root-cert.pem'])).toMatchObject({ authorized: false });
      expect(await handshake(SANS[0], (await generateInjectorCerts({ cluster: 'asm-gke' }))['root-cert.pem'])).toMatchObject({ authorized: false });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses unusable options with InputError', async () => {
    await expect(generateInjectorCerts({ cluster: '' })).rejects.toBeInstanceOf(InputError);
    await expect(generateInjectorCerts({ cluster: 'c', rootValidityDays: 10, validityDays: 20 })).rejects.toThrow(/validityDays.*must not exceed the CA's lifetime \(10 days\)/);
    await expect(generateInjectorCerts({ cluster: 'c', validityDays: 0.5 })).rejects.toThrow(/validityDays/);
    await expect(generateInjectorCerts({ cluster: 'c', now: new Date(NaN) })).rejects.toThrow(/now/);
  });
});

/** A serving certificate built by hand, signed by `issuer`, to break one rule at a time. */
async function servingCert(
  issuer: { cert: x509.X509Certificate; key: webcrypto.CryptoKey },
  keys: webcrypto.CryptoKeyPair,
  { dns = SANS, usages = [x509.ExtendedKeyUsage.serverAuth as string], ca = false } = {},
): Promise<string> {
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0102',
    subject: 'CN=hand-made',
    issuer: issuer.cert.subjectName,
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + DAY),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    publicKey: keys.publicKey,
    signingKey: issuer.key,
    extensions: [
      new x509.BasicConstraintsExtension(ca, undefined, true),
      new x509.ExtendedKeyUsageExtension(usages, false),
      new x509.SubjectAlternativeNameExtension(dns.map((value) => ({ type: 'dns' as const, value }))),
    ],
  });
  return cert.toString('pem') + '\n';
}

/** A set under a hand-made CA (the generated CA's key is discarded), with a serving certificate made by {@link servingCert}. */
async function handMadeSet(opts: Parameters<typeof servingCert>[2] = {}): Promise<InjectorCerts> {
  const caKeys = await keyPair();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=hand-made CA',
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + 2 * DAY),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys: caKeys,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  const leafKeys = await keyPair();
  return {
    'root-cert.pem': caCert.toString('pem') + '\n',
    'cert-chain.pem': await servingCert({ cert: caCert, key: caKeys.privateKey }, leafKeys, opts),
    'key.pem': await keyPem(leafKeys),
  };
}

/** A PEM certificate with one byte of its signature changed. */
function tamperSignature(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[der.length - 1] ^= 0x01;
  return x509.PemConverter.encode(der, 'CERTIFICATE') + '\n';
}

describe('validateInjectorCerts', () => {
  const reasons = async (files: Partial<InjectorCerts>, now = NOW) => (await validateInjectorCerts(files, { now })).map((p) => `${p.file}: ${p.reason}`);

  it('accepts a generated set, and a hand-made one that follows the rules', async () => {
    expect(await validateInjectorCerts(certs, { now: NOW })).toEqual([]);
    expect(await reasons(await handMadeSet())).toEqual([]);
  });

  it('reports missing files', async () => {
    expect(await reasons({ 'root-cert.pem': certs['root-cert.pem'] })).toEqual(['cert-chain.pem: is missing', 'key.pem: is missing']);
  });

  it('refuses a key that is not the serving certificate\'s', async () => {
    const other = await generateInjectorCerts(OPTIONS);
    expect(await reasons({ ...certs, 'key.pem': other['key.pem'] })).toEqual([
      'key.pem: does not match the public key of the first certificate of cert-chain.pem',
    ]);
  });

  it('refuses a serving certificate the root did not issue, or whose signature was tampered with', async () => {
    const other = await generateInjectorCerts(OPTIONS);
    expect(await reasons({ ...certs, 'root-cert.pem': other['root-cert.pem'] })).toEqual([
      expect.stringMatching(/^cert-chain\.pem: is not issued by root-cert\.pem: .*its signature does not verify/),
    ]);
    expect(await reasons({ ...certs, 'cert-chain.pem': tamperSignature(certs['cert-chain.pem']) })).toEqual([
      expect.stringMatching(/^cert-chain\.pem: is not issued by root-cert\.pem: .*its signature does not verify/),
    ]);
    expect(await reasons({ ...certs, 'root-cert.pem': tamperSignature(certs['root-cert.pem']) })).toEqual([
      expect.stringMatching(/^root-cert\.pem: is not self-signed/),
    ]);
  });

  it('refuses an expired or not yet valid set', async () => {
    const later = new Date(NOW_S + 1826 * DAY);
    expect(await reasons(certs, later)).toEqual([expect.stringMatching(/^cert-chain\.pem: certificate "O=asmpkg, L=asm-gke, CN=istio-sidecar-injector\.istio-system\.svc" expired at 2035-/)]);
    expect(await reasons(certs, new Date(NOW_S + 3651 * DAY))).toEqual([
      expect.stringMatching(/^root-cert\.pem: certificate .* expired at 2040-/),
      expect.stringMatching(/^cert-chain\.pem: certificate .* expired at 2035-/),
    ]);
    expect(await reasons(certs, new Date(NOW_S - 2 * BACKDATE_MS))).toEqual([
      expect.stringMatching(/^root-cert\.pem: .* is not valid before 2030-03-04T04:06:07/),
      expect.stringMatching(/^cert-chain\.pem: .* is not valid before 2030-03-04T04:06:07/),
    ]);
  });

  it('refuses a serving certificate for other names, not for TLS servers, or that is a CA', async () => {
    expect(await reasons(await handMadeSet({ dns: ['istio-sidecar-injector.istio-system.svc.cluster.local', 'istio-sidecar-injector'] }))).toEqual([
      'cert-chain.pem: the serving certificate is not for istio-sidecar-injector.istio-system.svc, the name the API server calls the webhook by (its DNS names: istio-sidecar-injector.istio-system.svc.cluster.local, istio-sidecar-injector)',
    ]);
    expect(await reasons(await handMadeSet({ usages: [x509.ExtendedKeyUsage.clientAuth] }))).toEqual([
      'cert-chain.pem: extendedKeyUsage of the serving certificate does not include serverAuth',
    ]);
    expect(await reasons(await handMadeSet({ ca: true }))).toEqual([
      'cert-chain.pem: starts with a CA certificate ("CN=hand-made"); it must start with the serving certificate',
    ]);
  });

  it('refuses PEM that is not what the file should hold, without quoting it', async () => {
    const problems = await reasons({ 'root-cert.pem': certs['key.pem'], 'cert-chain.pem': 'garbage\n', 'key.pem': certs['root-cert.pem'] });
    expect(problems).toEqual([
      'root-cert.pem: PEM block 1 is a private key, not a certificate; only certificates belong here',
      'cert-chain.pem: is not PEM: it holds no complete -----BEGIN CERTIFICATE----- block',
      'key.pem: is not PEM: it holds no -----BEGIN PRIVATE KEY----- block',
    ]);
    expect(problems.join('\n')).not.toMatch(/BEGIN PRIVATE KEY-----\n/);
  });

  it('accepts a chain that ends with the root, and refuses one out of order', async () => {
    expect(await reasons({ ...certs, 'cert-chain.pem': certs['cert-chain.pem'] + certs['root-cert.pem'] })).toEqual([]);
    expect(await reasons({ ...certs, 'cert-chain.pem': certs['root-cert.pem'] + certs['cert-chain.pem'] })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^cert-chain\.pem: starts with a CA certificate/)]),
    );
  });
});

describe('loadOrCreateInjectorCerts', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'asmpkg-webhook-store-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  /** What the output layer does with RenderedFiles, reduced to the essentials. */
  async function writeRendered(root: string, files: RenderedFile[]): Promise<void> {
    for (const file of files) {
      await mkdir(dirname(join(root, file.path)), { recursive: true });
      await writeFile(join(root, file.path), file.content, { mode: file.mode });
    }
  }
  const dir = () => join(tmp, SECRETS_DIR, INJECTOR_CERTS_DIR);

  it('generates a set for an empty or missing directory', async () => {
    expect(await readExistingInjectorCerts(dir())).toEqual({ status: 'absent' });
    const resolved = await loadOrCreateInjectorCerts(dir(), OPTIONS);
    expect(resolved.generated).toBe(true);
    expect(await validateInjectorCerts(resolved.certs, { now: NOW })).toEqual([]);
  });

  it('reuses the set injectorSecretFiles wrote, across runs, byte for byte', async () => {
    await writeRendered(tmp, injectorSecretFiles(certs));
    expect(await readExistingInjectorCerts(dir(), { now: NOW })).toEqual({ status: 'valid', files: certs });
    const first = await loadOrCreateInjectorCerts(dir(), OPTIONS);
    expect(first).toEqual({ certs, generated: false });
    await writeRendered(tmp, injectorSecretFiles(first.certs));
    const second = await loadOrCreateInjectorCerts(dir(), { ...OPTIONS, now: new Date(NOW_S + 365 * DAY) });
    expect(second).toEqual({ certs, generated: false });
    expect(injectorSecretFiles(second.certs)).toEqual(injectorSecretFiles(certs));
  });

  it('replaces the set when asked to regenerate', async () => {
    await writeRendered(tmp, injectorSecretFiles(certs));
    const resolved = await loadOrCreateInjectorCerts(dir(), OPTIONS, { regenerate: true });
    expect(resolved.generated).toBe(true);
    expect(resolved.certs['root-cert.pem']).not.toBe(certs['root-cert.pem']);
  });

  const refusal = async (now = NOW) => (await loadOrCreateInjectorCerts(dir(), { ...OPTIONS, now }).catch((e: unknown) => e)) as CaFilesError;

  it('refuses a partial set instead of silently replacing it', async () => {
    await writeRendered(tmp, injectorSecretFiles(certs));
    await unlink(join(dir(), 'key.pem'));
    const error = await refusal();
    expect(error).toBeInstanceOf(CaFilesError);
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([{ file: 'key.pem', reason: 'is missing' }]);
    expect(error.message).toBe(`${join(dir(), 'key.pem')}: is missing`);
  });

  it('refuses a tampered, mismatched or expired set, printing no key material', async () => {
    await writeRendered(tmp, injectorSecretFiles(certs));
    await writeFile(join(dir(), 'cert-chain.pem'), tamperSignature(certs['cert-chain.pem']));
    expect((await refusal()).problems.map((p) => p.file)).toEqual(['cert-chain.pem']);

    await writeRendered(tmp, injectorSecretFiles(certs));
    await writeFile(join(dir(), 'key.pem'), (await generateInjectorCerts(OPTIONS))['key.pem']);
    const mismatched = await refusal();
    expect(mismatched.problems.map((p) => p.file)).toEqual(['key.pem']);
    expect(mismatched.message).not.toMatch(/PRIVATE KEY-----\n/);

    await writeRendered(tmp, injectorSecretFiles(certs));
    const expired = await refusal(new Date(NOW_S + 2000 * DAY));
    expect(expired.problems).toEqual([{ file: 'cert-chain.pem', reason: expect.stringMatching(/expired at 2035-/) }]);
  });

  it('reports a file it cannot read', async () => {
    await mkdir(dir(), { recursive: true });
    if (process.getuid?.() === 0) {
      await mkdir(join(dir(), 'key.pem'));
    } else {
      await writeFile(join(dir(), 'key.pem'), 'x');
      await chmod(join(dir(), 'key.pem'), 0o000);
    }
    const existing = await readExistingInjectorCerts(dir(), { now: NOW });
    expect(existing.status).toBe('invalid');
    expect(existing.status === 'invalid' && existing.problems[0]).toEqual({ file: 'key.pem', reason: expect.stringMatching(/^cannot be read \((EISDIR|EACCES)\)$/) });
  });
});

describe('injectorSecretFiles and the Secret', () => {
  it('lists the Secret manifest, the three PEM files and a .gitignore; key material 0600 and marked secret', () => {
    const files = injectorSecretFiles(certs);
    expect(files.map((f) => [f.path, f.mode, f.secret ?? false])).toEqual([
      ['secrets/.gitignore', 0o644, false],
      ['secrets/sidecar-injector-certs.yaml', 0o600, true],
      ['secrets/sidecar-injector/cert-chain.pem', 0o644, false],
      ['secrets/sidecar-injector/key.pem', 0o600, true],
      ['secrets/sidecar-injector/root-cert.pem', 0o644, false],
    ]);
    expect(files[0].content.split('\n')).toContain('*');
    const keyBase64 = Buffer.from(certs['key.pem']).toString('base64');
    const keyLines = certs['key.pem'].split('\n').filter((l) => l && !l.startsWith('-----'));
    for (const f of files) {
      const carriesKey = f.content.includes('PRIVATE KEY') || f.content.includes(keyBase64) || keyLines.some((l) => f.content.includes(l));
      expect([f.path, carriesKey]).toEqual([f.path, f.secret === true]);
    }
  });

  it('renders the Secret the injector mounts, as Citadel writes it', async () => {
    const yaml = injectorSecretFiles(certs).find((f) => f.path === 'secrets/sidecar-injector-certs.yaml')!.content;
    expect(yaml.startsWith('# ')).toBe(true);
    const docs = parseAllDocuments(yaml).map((d) => d.toJS());
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'istio.io/key-and-cert',
      metadata: {
        name: 'istio.istio-sidecar-injector-service-account',
        namespace: 'istio-system',
        annotations: { 'istio.io/service-account.name': 'istio-sidecar-injector-service-account' },
      },
    });
    expect(Object.keys(docs[0].data)).toEqual(['cert-chain.pem', 'key.pem', 'root-cert.pem']);
    for (const file of INJECTOR_CERT_FILE_NAMES) expect(Buffer.from(docs[0].data[file], 'base64').toString('utf8')).toBe(certs[file]);

    // The injector Deployment mounts this Secret and reads exactly these keys.
    const chart = new Chart(new App(), 'injector', { disableResourceNameHashes: true });
    new SidecarInjector(chart, 'injector', { values: gkeValues() });
    const deployment = chart.toJson().find((o) => o.kind === 'Deployment');
    const volume = deployment.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'certs');
    expect(volume.secret.secretName).toBe(docs[0].metadata.name);
    expect(INJECTOR_CERTS_SECRET_NAME).toBe(docs[0].metadata.name);
    const args: string[] = deployment.spec.template.spec.containers[0].args;
    for (const [flag, file] of [['--caCertFile', 'root-cert.pem'], ['--tlsCertFile', 'cert-chain.pem'], ['--tlsKeyFile', 'key.pem']]) {
      expect(args).toContain(`${flag}=/etc/istio/certs/${file}`);
    }
    // ... and, reconciling its webhook configuration, patches root-cert.pem in as the caBundle.
    expect(args).toContain('--reconcileWebhookConfig=true');
  });

  it('is what a GKE package renders apart, and not an on-prem one (Citadel makes it there)', () => {
    expect(SECRETS_RENDERED_APART.gke.map((s) => [s.set, s.name, s.namespace, s.manifest])).toEqual([
      ['sidecarInjector', 'istio.istio-sidecar-injector-service-account', 'istio-system', 'secrets/sidecar-injector-certs.yaml'],
    ]);
    expect(SECRETS_RENDERED_APART.onprem.map((s) => s.name)).toEqual(['cacerts']);
  });
});
