/**
 * Webhook serving certificates of the sidecar injector and galley (GKE, no Citadel): one self-signed
 * certificate generated with @peculiar/x509 (root-cert.pem is cert-chain.pem), checked
 * here independently with Node's (OpenSSL's) X509Certificate and a real TLS handshake
 * the way the API server makes it; validated (that shape and the CA-issued one earlier
 * versions wrote), kept and reused like the on-prem CA.
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
import { BACKDATE_MS, validityWindow } from '../../src/certs/generate';
import { GALLEY_CERTS_DIR, galleySecretFiles, INJECTOR_CERTS_DIR, injectorSecretFiles, SECRETS_DIR, SECRETS_RENDERED_APART } from '../../src/certs/secret-files';
import { CaFilesError } from '../../src/certs/store';
import { INJECTOR_CERT_FILE_NAMES, InjectorCerts } from '../../src/certs/types';
import {
  generateInjectorCerts,
  GenerateInjectorCertsOptions,
  generateServingCert,
  injectorDnsNames,
  loadOrCreateInjectorCerts,
  loadOrCreateServingCert,
  readExistingInjectorCerts,
  readExistingServingCert,
  servingDnsNames,
  validateInjectorCerts,
  validateServingCert,
} from '../../src/certs/webhook';
import { webcrypto, x509 } from '../../src/certs/x509';
import { Galley } from '../../src/constructs/mesh/galley';
import { SidecarInjector } from '../../src/constructs/mesh/sidecar-injector';
import { GALLEY_CERTS_SECRET_NAME, INJECTOR_CERTS_SECRET_NAME } from '../../src/constructs/security/webhook-cert-secret';
import { RenderedFile } from '../../src/render/types';
import { gkeValues, onpremValues } from '../helpers/mesh-values';
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

/** Galley's Service names, in the same order. */
const GALLEY_SANS = ['istio-galley.istio-system.svc', 'istio-galley.istio-system.svc.cluster.local', 'istio-galley.istio-system', 'istio-galley'];

/** What the output layer does with RenderedFiles, reduced to the essentials. */
async function writeRendered(root: string, files: RenderedFile[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(join(root, file.path)), { recursive: true });
    await writeFile(join(root, file.path), file.content, { mode: file.mode });
  }
}

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
let leaf: X509Certificate;

beforeAll(async () => {
  certs = await generateInjectorCerts(OPTIONS);
  leaf = new X509Certificate(certs['cert-chain.pem']);
});

describe('generateInjectorCerts', () => {
  it('names the injector Service of the component catalog', () => {
    expect(injectorDnsNames()).toEqual(SANS);
  });

  it('writes one certificate: root-cert.pem (the caBundle) is cert-chain.pem, a self-signed ECDSA P-256 certificate', async () => {
    const other = await generateInjectorCerts(OPTIONS);
    expect(certs['root-cert.pem']).toBe(certs['cert-chain.pem']);
    expect(nodeCerts(certs['cert-chain.pem'])).toHaveLength(1);
    expect(leaf.subject).toBe(`O=asmpkg\nL=asm-gke\nCN=${SANS[0]}`);
    expect(leaf.issuer).toBe(leaf.subject);
    expect(leaf.verify(leaf.publicKey)).toBe(true);
    expect(leaf.verify(new X509Certificate(other['cert-chain.pem']).publicKey)).toBe(false);
    expect(leaf.publicKey.asymmetricKeyType).toBe('ec');
    expect(leaf.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
  });

  it('is a serving certificate for the Service, not a CA, whose key is key.pem', async () => {
    expect(leaf.ca).toBe(false);
    expect(leaf.subjectAltName).toBe(SANS.map((n) => `DNS:${n}`).join(', '));
    for (const name of SANS) expect([name, leaf.checkHost(name)]).toEqual([name, name]);
    expect(leaf.checkHost('istio-pilot.istio-system.svc')).toBeUndefined();
    const key = createPrivateKey(certs['key.pem']);
    expect(leaf.checkPrivateKey(key)).toBe(true);
    expect(new X509Certificate((await generateInjectorCerts(OPTIONS))['cert-chain.pem']).checkPrivateKey(key)).toBe(false);
    expect(key.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(certs['key.pem']).toMatch(/^-----BEGIN PRIVATE\x20KEY-----\n[\s\S]+\n-----END PRIVATE\x20KEY-----\n$/);
    expect(leaf.publicKey.export({ type: 'spki', format: 'der' })).toEqual(createPublicKey(key).export({ type: 'spki', format: 'der' }));
  });

  it('holds no key but the serving key', () => {
    for (const file of INJECTOR_CERT_FILE_NAMES) {
      expect([file, /PRIVATE KEY/.test(certs[file])]).toEqual([file, file === 'key.pem']);
    }
  });

  it('sets CA:FALSE and digitalSignature (critical), serverAuth and the SKI, and nothing else', () => {
    // Node exposes the extended key usage; the rest is read with @peculiar/x509 and
    // the key identifier is recomputed from Node's view of the key.
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    const p = new x509.X509Certificate(certs['cert-chain.pem']);
    const usage = p.getExtension(x509.KeyUsagesExtension)!;
    expect([usage.usages, usage.critical]).toEqual([x509.KeyUsageFlags.digitalSignature, true]);
    expect(p.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: false, critical: true });
    expect(p.getExtension(x509.ExtendedKeyUsageExtension)!.usages).toEqual([x509.ExtendedKeyUsage.serverAuth]);
    expect(p.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId).toBe(keyIdOf(leaf));
    // Self-signed: an authorityKeyIdentifier would only repeat the SKI.
    expect(p.extensions.map((e) => e.type)).toEqual(['2.5.29.19', '2.5.29.15', '2.5.29.37', '2.5.29.17', '2.5.29.14']);
  });

  it('uses the clock it is given: backdated start, 5 years, or the lifetime asked for', async () => {
    expect(new Date(leaf.validFrom)).toEqual(new Date(NOW_S - BACKDATE_MS));
    expect(new Date(leaf.validTo)).toEqual(new Date(NOW_S + 1825 * DAY));
    const short = new X509Certificate((await generateInjectorCerts({ ...OPTIONS, validityDays: 30 }))['cert-chain.pem']);
    expect(new Date(short.validTo)).toEqual(new Date(NOW_S + 30 * DAY));
  });

  it('writes dates from 2050 on as GeneralizedTime, which both parsers and the validation read back', async () => {
    const late = new Date('2045-06-01T00:00:00Z');
    const set = await generateInjectorCerts({ cluster: 'asm-gke', now: late });
    expect(new Date(new X509Certificate(set['cert-chain.pem']).validTo)).toEqual(new Date(late.getTime() + 1825 * DAY));
    expect(new x509.X509Certificate(set['cert-chain.pem']).notAfter).toEqual(new Date(late.getTime() + 1825 * DAY));
    expect(await validateInjectorCerts(set, { now: late })).toEqual([]);
  });

  it('uses a positive 16-byte serial, and a new key pair every time', async () => {
    expect(leaf.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    const other = await generateInjectorCerts(OPTIONS);
    for (const file of INJECTOR_CERT_FILE_NAMES) expect(other[file]).not.toBe(certs[file]);
  });

  it('reuses the extensions it builds once per set of Services, but gives each certificate its own key identifier, the one @peculiar/x509 computes', async () => {
    // Alternating sets: a cache keyed wrongly would hand one set's names to another.
    const sets = [['sidecarInjector'], ['galley'], ['sidecarInjector', 'galley'], ['sidecarInjector'], ['sidecarInjector', 'galley'], ['galley']] as const;
    const made = await Promise.all(sets.map((set) => generateServingCert(set, OPTIONS)));
    const keyIds = new Set<string>();
    for (const [i, set] of sets.entries()) {
      const p = new x509.X509Certificate(made[i]['cert-chain.pem']);
      const names = set.flatMap((c) => (c === 'galley' ? GALLEY_SANS : SANS));
      expect(p.getExtension(x509.SubjectAlternativeNameExtension)!.names.items.map((n) => n.value)).toEqual(names);
      expect(p.extensions.map((e) => [e.type, e.critical])).toEqual([
        ['2.5.29.19', true],
        ['2.5.29.15', true],
        ['2.5.29.37', false],
        ['2.5.29.17', false],
        ['2.5.29.14', false],
      ]);
      const keyId = p.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
      expect(keyId).toBe((await x509.SubjectKeyIdentifierExtension.create(p.publicKey)).keyId);
      keyIds.add(keyId);
      expect(await validateServingCert(set[0], made[i], { now: NOW })).toEqual([]);
    }
    expect(keyIds.size).toBe(sets.length);
  });

  it("writes key.pem as @peculiar/x509's PEM encoding of the PKCS#8 key", () => {
    const der = createPrivateKey(certs['key.pem']).export({ type: 'pkcs8', format: 'der' });
    expect(certs['key.pem']).toBe(x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n');
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
    await expect(generateInjectorCerts({ cluster: 'c', organization: 'x'.repeat(65) })).rejects.toThrow(/organization/);
    await expect(generateInjectorCerts({ cluster: 'c', validityDays: 36501 })).rejects.toThrow(/validityDays.*from 1 to 36500/);
    await expect(generateInjectorCerts({ cluster: 'c', validityDays: 0.5 })).rejects.toThrow(/validityDays/);
    await expect(generateInjectorCerts({ cluster: 'c', now: new Date(NaN) })).rejects.toThrow(/now/);
  });
});

type CertRules = { dns?: string[]; usages?: string[]; ca?: boolean };

/**
 * A serving certificate built by hand, to break one rule at a time: signed by `issuer`,
 * or self-signed (its own issuer, signed with its own key) when there is none.
 */
async function servingCert(
  issuer: { cert: x509.X509Certificate; key: webcrypto.CryptoKey } | undefined,
  keys: webcrypto.CryptoKeyPair,
  { dns = SANS, usages = [x509.ExtendedKeyUsage.serverAuth as string], ca = false }: CertRules = {},
): Promise<string> {
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0102',
    subject: 'CN=hand-made',
    issuer: issuer ? issuer.cert.subjectName : 'CN=hand-made',
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + DAY),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    publicKey: keys.publicKey,
    signingKey: issuer ? issuer.key : keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(ca, undefined, true),
      new x509.ExtendedKeyUsageExtension(usages, false),
      new x509.SubjectAlternativeNameExtension(dns.map((value) => ({ type: 'dns' as const, value }))),
    ],
  });
  return cert.toString('pem') + '\n';
}

/** A self-signed set with a serving certificate made by {@link servingCert}: root-cert.pem is cert-chain.pem. */
async function selfSignedSet(rules: CertRules = {}): Promise<InjectorCerts> {
  const keys = await keyPair();
  const cert = await servingCert(undefined, keys, rules);
  return { 'root-cert.pem': cert, 'cert-chain.pem': cert, 'key.pem': await keyPem(keys) };
}

/** A set under a hand-made CA, with a serving certificate made by {@link servingCert}. */
async function handMadeSet(rules: CertRules = {}): Promise<InjectorCerts> {
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
    'cert-chain.pem': await servingCert({ cert: caCert, key: caKeys.privateKey }, leafKeys, rules),
    'key.pem': await keyPem(leafKeys),
  };
}

/**
 * A set of the CA-issued shape earlier asmpkg versions generated: a self-signed webhook
 * CA (10 years, pathLen 0, keyCertSign|cRLSign) and a serving certificate it signed
 * (5 years, with AKI), its key discarded. The old generator's logic, inline.
 */
async function caIssuedSet(now: Date): Promise<InjectorCerts> {
  const { start, end } = validityWindow(now);
  const subject = (cn: string): { [attr: string]: string[] }[] => [{ O: ['asmpkg'] }, { L: ['asm-gke'] }, { CN: [cn] }];
  const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' };
  const [rootKeys, leafKeys] = await Promise.all([keyPair(), keyPair()]);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '4a01',
    name: subject('istio-sidecar-injector webhook CA'),
    notBefore: start,
    notAfter: end(3650),
    signingAlgorithm,
    keys: rootKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const leafCert = await x509.X509CertificateGenerator.create({
    serialNumber: '4a02',
    subject: subject(SANS[0]),
    issuer: caCert.subjectName,
    notBefore: start,
    notAfter: end(1825),
    signingAlgorithm,
    publicKey: leafKeys.publicKey,
    signingKey: rootKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(SANS.map((value) => ({ type: 'dns' as const, value }))),
      await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  return { 'root-cert.pem': caCert.toString('pem') + '\n', 'cert-chain.pem': leafCert.toString('pem') + '\n', 'key.pem': await keyPem(leafKeys) };
}

/** A PEM certificate with one byte of its signature changed. */
function tamperSignature(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[der.length - 1] ^= 0x01;
  return x509.PemConverter.encode(der, 'CERTIFICATE') + '\n';
}

describe('validateInjectorCerts', () => {
  const reasons = async (files: Partial<InjectorCerts>, now = NOW) => (await validateInjectorCerts(files, { now })).map((p) => `${p.file}: ${p.reason}`);
  const SERVING = `O=asmpkg, L=asm-gke, CN=${SANS[0]}`;

  it('accepts a generated set, and hand-made ones of either shape that follow the rules', async () => {
    expect(await validateInjectorCerts(certs, { now: NOW })).toEqual([]);
    expect(await reasons(await selfSignedSet())).toEqual([]);
    expect(await reasons(await handMadeSet())).toEqual([]);
  });

  it('still accepts a CA-issued set as earlier versions generated it, with or without the root at the end of the chain', async () => {
    const old = await caIssuedSet(NOW);
    expect(new X509Certificate(old['cert-chain.pem']).checkIssued(new X509Certificate(old['root-cert.pem']))).toBe(true);
    expect(await reasons(old)).toEqual([]);
    expect(await reasons({ ...old, 'cert-chain.pem': old['cert-chain.pem'] + old['root-cert.pem'] })).toEqual([]);
    // ... and still holds it to the CA-issued rules.
    expect(await reasons({ ...old, 'cert-chain.pem': old['root-cert.pem'] + old['cert-chain.pem'] })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^cert-chain\.pem: starts with a CA certificate/)]),
    );
    expect(await reasons({ ...old, 'root-cert.pem': (await caIssuedSet(NOW))['root-cert.pem'] })).toEqual([
      expect.stringMatching(/^cert-chain\.pem: is not issued by root-cert\.pem: .*its signature does not verify/),
    ]);
    expect(await reasons({ ...old, 'cert-chain.pem': tamperSignature(old['cert-chain.pem']) })).toEqual([
      expect.stringMatching(/^cert-chain\.pem: is not issued by root-cert\.pem: .*its signature does not verify/),
    ]);
    expect(await reasons({ ...old, 'root-cert.pem': tamperSignature(old['root-cert.pem']) })).toEqual([
      expect.stringMatching(/^root-cert\.pem: is not self-signed/),
    ]);
    expect(await reasons(old, new Date(NOW_S + 3651 * DAY))).toEqual([
      expect.stringMatching(/^root-cert\.pem: certificate .* expired at 2040-/),
      expect.stringMatching(/^cert-chain\.pem: certificate .* expired at 2035-/),
    ]);
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

  it('refuses a self-signed certificate whose signature was tampered with, or a root-cert.pem that is another certificate', async () => {
    const tampered = tamperSignature(certs['cert-chain.pem']);
    expect(await reasons({ ...certs, 'cert-chain.pem': tampered })).toEqual([
      `cert-chain.pem: the serving certificate ("${SERVING}") names itself as its issuer, but its signature does not verify with its own public key`,
    ]);
    expect(await reasons({ ...certs, 'root-cert.pem': tampered })).toEqual([`root-cert.pem: is not self-signed (subject "${SERVING}", issuer "${SERVING}")`]);
    expect(await reasons({ ...certs, 'root-cert.pem': tampered, 'cert-chain.pem': tampered })).toEqual([
      `root-cert.pem: is not self-signed (subject "${SERVING}", issuer "${SERVING}")`,
    ]);
    const other = await generateInjectorCerts(OPTIONS);
    expect(await reasons({ ...certs, 'root-cert.pem': other['root-cert.pem'] })).toEqual([
      `root-cert.pem: is neither a CA certificate (basicConstraints CA:TRUE is missing, "${SERVING}") nor the serving certificate, the first certificate of cert-chain.pem ("${SERVING}"), as in a self-signed set`,
    ]);
    // A self-signed serving certificate as the root of a CA-issued chain is no CA either.
    expect(await reasons({ ...(await handMadeSet()), 'root-cert.pem': certs['root-cert.pem'] })).toEqual([
      `root-cert.pem: is neither a CA certificate (basicConstraints CA:TRUE is missing, "${SERVING}") nor the serving certificate, the first certificate of cert-chain.pem ("CN=hand-made"), as in a self-signed set`,
    ]);
  });

  it('refuses an expired or not yet valid set, reporting the one certificate once', async () => {
    const later = new Date(NOW_S + 1826 * DAY);
    expect(await reasons(certs, later)).toEqual([`cert-chain.pem: certificate "${SERVING}" expired at ${new Date(NOW_S + 1825 * DAY).toISOString()}`]);
    expect(await reasons(certs, new Date(NOW_S - 2 * BACKDATE_MS))).toEqual([
      expect.stringMatching(/^cert-chain\.pem: .* is not valid before 2030-03-04T04:06:07/),
    ]);
  });

  describe.each([
    ['self-signed', selfSignedSet],
    ['CA-issued', handMadeSet],
  ])('a %s set', (_shape, makeSet) => {
    it('is refused when the serving certificate is for other names, not for TLS servers, or a CA', async () => {
      expect(await reasons(await makeSet({ dns: ['istio-sidecar-injector.istio-system.svc.cluster.local', 'istio-sidecar-injector'] }))).toEqual([
        'cert-chain.pem: the serving certificate is not for istio-sidecar-injector.istio-system.svc, the name the API server calls the webhook by (its DNS names: istio-sidecar-injector.istio-system.svc.cluster.local, istio-sidecar-injector)',
      ]);
      expect(await reasons(await makeSet({ usages: [x509.ExtendedKeyUsage.clientAuth] }))).toEqual([
        'cert-chain.pem: extendedKeyUsage of the serving certificate does not include serverAuth',
      ]);
      expect(await reasons(await makeSet({ ca: true }))).toEqual([
        'cert-chain.pem: starts with a CA certificate ("CN=hand-made"); it must start with the serving certificate',
      ]);
    });
  });

  it('refuses PEM that is not what the file should hold, without quoting it', async () => {
    const problems = await reasons({ 'root-cert.pem': certs['key.pem'], 'cert-chain.pem': 'garbage\n', 'key.pem': certs['root-cert.pem'] });
    expect(problems).toEqual([
      'root-cert.pem: PEM block 1 (line 1) is a private key; the file must hold only certificate PEM blocks',
      'cert-chain.pem: is not PEM: it holds no complete -----BEGIN CERTIFICATE----- block',
      'key.pem: is not PEM: it holds no private key block (-----BEGIN ... PRIVATE KEY-----)',
    ]);
    expect(problems.join('\n')).not.toMatch(/BEGIN PRIVATE\x20KEY-----\n/);
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
    expect(existing.status === 'invalid' && existing.problems[0]).toEqual({ file: 'key.pem', reason: expect.stringMatching(/^(is a directory, not a regular file; asmpkg reads only regular files|permission denied)$/) });
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
      ['galley', 'istio.istio-galley-service-account', 'istio-system', 'secrets/galley-certs.yaml'],
    ]);
    expect(SECRETS_RENDERED_APART.onprem.map((s) => s.name)).toEqual(['cacerts']);
  });
});

describe("galley's serving certificate (the same code, galley's Service and Secret)", () => {
  let galley: Awaited<ReturnType<typeof generateServingCert>>;
  let tmp: string;
  beforeAll(async () => {
    galley = await generateServingCert('galley', OPTIONS);
  });
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'asmpkg-galley-store-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });
  const dir = () => join(tmp, SECRETS_DIR, GALLEY_CERTS_DIR);

  it("names galley's Service of the component catalog; the injector's names are unchanged", () => {
    expect(servingDnsNames('galley')).toEqual(GALLEY_SANS);
    expect(servingDnsNames('sidecarInjector')).toEqual(injectorDnsNames());
  });

  it('is one self-signed serving certificate for galley, whose key is key.pem', () => {
    const cert = new X509Certificate(galley['cert-chain.pem']);
    expect(galley['root-cert.pem']).toBe(galley['cert-chain.pem']);
    expect(cert.subject).toBe(`O=asmpkg\nL=asm-gke\nCN=${GALLEY_SANS[0]}`);
    expect(cert.subjectAltName).toBe(GALLEY_SANS.map((n) => `DNS:${n}`).join(', '));
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.checkPrivateKey(createPrivateKey(galley['key.pem']))).toBe(true);
    expect(cert.checkHost(SANS[0])).toBeUndefined();
  });

  it("is valid for galley and not for the injector, and the other way round", async () => {
    expect(await validateServingCert('galley', galley, { now: NOW })).toEqual([]);
    expect(await validateServingCert('galley', await selfSignedSet({ dns: GALLEY_SANS }), { now: NOW })).toEqual([]);
    expect(await validateServingCert('galley', await handMadeSet({ dns: GALLEY_SANS }), { now: NOW })).toEqual([]);
    expect(await validateInjectorCerts(galley, { now: NOW })).toEqual([
      {
        file: 'cert-chain.pem',
        reason: `the serving certificate is not for ${SANS[0]}, the name the API server calls the webhook by (its DNS names: ${GALLEY_SANS.join(', ')})`,
      },
    ]);
    expect(await validateServingCert('galley', certs, { now: NOW })).toEqual([
      { file: 'cert-chain.pem', reason: `the serving certificate is not for ${GALLEY_SANS[0]}, the name the API server calls the webhook by (its DNS names: ${SANS.join(', ')})` },
    ]);
  });

  it('is generated once into secrets/galley/ and reused byte for byte; regenerated when asked', async () => {
    expect(await readExistingServingCert(dir(), 'galley')).toEqual({ status: 'absent' });
    expect((await loadOrCreateServingCert(dir(), 'galley', OPTIONS)).generated).toBe(true);
    await writeRendered(tmp, galleySecretFiles(galley));
    expect(await readExistingServingCert(dir(), 'galley', { now: NOW })).toEqual({ status: 'valid', files: galley });
    const again = await loadOrCreateServingCert(dir(), 'galley', { ...OPTIONS, now: new Date(NOW_S + 365 * DAY) });
    expect(again).toEqual({ certs: galley, generated: false });
    expect(galleySecretFiles(again.certs)).toEqual(galleySecretFiles(galley));
    const fresh = await loadOrCreateServingCert(dir(), 'galley', OPTIONS, { regenerate: true });
    expect([fresh.generated, fresh.certs['key.pem'] === galley['key.pem']]).toEqual([true, false]);
  });

  it("refuses a tampered set, or the injector's set in galley's directory, instead of replacing it", async () => {
    const refusal = async () => (await loadOrCreateServingCert(dir(), 'galley', OPTIONS).catch((e: unknown) => e)) as CaFilesError;
    await writeRendered(tmp, galleySecretFiles(galley));
    await writeFile(join(dir(), 'cert-chain.pem'), tamperSignature(galley['cert-chain.pem']));
    const tampered = await refusal();
    expect(tampered).toBeInstanceOf(CaFilesError);
    expect(tampered.problems.map((p) => p.file)).toEqual(['cert-chain.pem']);
    await writeRendered(tmp, galleySecretFiles(certs));
    const wrong = await refusal();
    expect([wrong.exitCode, wrong.problems]).toEqual([2, [{ file: 'cert-chain.pem', reason: expect.stringMatching(/is not for istio-galley\.istio-system\.svc/) }]]);
    expect(wrong.message).not.toMatch(/PRIVATE KEY-----\n/);
  });

  it('renders secrets/galley-certs.yaml and secrets/galley/, key material 0600, as the Secret galley mounts (required on GKE)', () => {
    const files = galleySecretFiles(galley);
    expect(files.map((f) => [f.path, f.mode, f.secret ?? false])).toEqual([
      ['secrets/.gitignore', 0o644, false],
      ['secrets/galley-certs.yaml', 0o600, true],
      ['secrets/galley/cert-chain.pem', 0o644, false],
      ['secrets/galley/key.pem', 0o600, true],
      ['secrets/galley/root-cert.pem', 0o644, false],
    ]);
    const docs = parseAllDocuments(files[1].content).map((d) => d.toJS());
    expect(docs).toEqual([
      expect.objectContaining({
        kind: 'Secret',
        type: 'istio.io/key-and-cert',
        metadata: expect.objectContaining({
          name: GALLEY_CERTS_SECRET_NAME,
          namespace: 'istio-system',
          annotations: { 'istio.io/service-account.name': 'istio-galley-service-account' },
        }),
      }),
    ]);
    for (const file of INJECTOR_CERT_FILE_NAMES) expect(Buffer.from(docs[0].data[file], 'base64').toString('utf8')).toBe(galley[file]);

    const certsVolume = (values: ReturnType<typeof gkeValues>) => {
      const chart = new Chart(new App(), 'galley', { disableResourceNameHashes: true });
      new Galley(chart, 'galley', { values });
      const deployment = chart.toJson().find((o) => o.kind === 'Deployment');
      const galleyContainer = deployment.spec.template.spec.containers.find((c: { name: string }) => c.name === 'galley');
      expect(galleyContainer.volumeMounts).toContainEqual({ name: 'istio-certs', mountPath: '/etc/certs', readOnly: true });
      return deployment.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'istio-certs');
    };
    // On GKE a missing Secret keeps galley from starting instead of leaving a webhook no one can call.
    expect(certsVolume(gkeValues())).toEqual({ name: 'istio-certs', secret: { secretName: docs[0].metadata.name } });
    // On-prem Citadel creates it (and the volume stays optional, as before).
    expect(certsVolume(onpremValues())).toEqual({ name: 'istio-certs', secret: { secretName: docs[0].metadata.name, optional: true } });
  });
});
