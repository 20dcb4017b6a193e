import { createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import { readCaDir } from '../../src/certs/store';
import { CaFiles, CaProblem } from '../../src/certs/types';
import { validateCaFiles } from '../../src/certs/validate';
import { CA_USAGE, cert, DURING, files, FROM, keyPair, keyPem, Parts, parts, pem, TO } from './build';
import { x509 } from '../../src/certs/x509';

const OPENSSL_FIXTURE = join(__dirname, '../fixtures/certs/TEST-KEYS-openssl-ecdsa-ca');

let good: Parts;
let goodFiles: CaFiles;

beforeAll(async () => {
  good = await parts();
  goodFiles = await files(good);
});

function check(input: Partial<Record<keyof CaFiles, string>>, now = DURING): Promise<CaProblem[]> {
  return validateCaFiles(input, { now });
}

describe('validateCaFiles accepts', () => {
  it('a valid root + intermediate', async () => {
    expect(await check(goodFiles)).toEqual([]);
  });

  it('a CA made by the openssl CLI with a SEC1 (EC PRIVATE KEY) key', async () => {
    const { files: fixture, problems } = await readCaDir(OPENSSL_FIXTURE);
    expect(problems).toEqual([]);
    expect(fixture['ca-key.pem']).toMatch(/BEGIN EC PRIVATE\x20KEY/);
    expect(await check(fixture, new Date('2030-01-01T00:00:00Z'))).toEqual([]);
  });

  it('a PKCS#1 RSA key (the RSA PRIVATE KEY PEM label) when it matches', async () => {
    const rsa = await webcryptoRsaParts();
    const pkcs1 = createPrivateKey(rsa['ca-key.pem']).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(pkcs1).toMatch(/BEGIN RSA PRIVATE\x20KEY/);
    expect(await check({ ...rsa, 'ca-key.pem': pkcs1 })).toEqual([]);
  });

  it('a self-signed CA used directly as ca-cert (cert-chain holds just that certificate)', async () => {
    expect(
      await check({
        'ca-cert.pem': pem(good.root),
        'ca-key.pem': await keyPem(good.rootKeys),
        'root-cert.pem': pem(good.root),
        'cert-chain.pem': pem(good.root),
      }),
    ).toEqual([]);
  });
});

describe('validateCaFiles refuses', () => {
  it('a key that does not match ca-cert', async () => {
    const other = await keyPair();
    expect(await check({ ...goodFiles, 'ca-key.pem': await keyPem(other) })).toEqual([
      { file: 'ca-key.pem', reason: 'does not match the public key of ca-cert.pem' },
    ]);
  });

  it('a ca-cert that is not a CA and cannot sign certificates', async () => {
    const leaf = await cert({
      subject: 'CN=Not A CA',
      keys: good.caKeys,
      issuer: { cert: good.root, keys: good.rootKeys },
      ca: false,
      keyUsage: x509.KeyUsageFlags.digitalSignature,
    });
    const problems = await check({ ...goodFiles, 'ca-cert.pem': pem(leaf), 'cert-chain.pem': pem(leaf, good.root) });
    expect(problems).toEqual([
      { file: 'ca-cert.pem', reason: expect.stringMatching(/^is not a CA certificate: basicConstraints CA:TRUE is missing/) },
      { file: 'ca-cert.pem', reason: expect.stringMatching(/keyUsage does not include keyCertSign/) },
    ]);
  });

  it('a ca-cert without keyUsage', async () => {
    const noUsage = await cert({ subject: 'CN=No Usage', keys: good.caKeys, issuer: { cert: good.root, keys: good.rootKeys }, ca: true });
    const problems = await check({ ...goodFiles, 'ca-cert.pem': pem(noUsage), 'cert-chain.pem': pem(noUsage, good.root) });
    expect(problems).toEqual([{ file: 'ca-cert.pem', reason: expect.stringMatching(/has no keyUsage extension/) }]);
  });

  it('a ca-cert issued by another root (wrong issuer)', async () => {
    const other = await parts({ root: 'CN=Other Root CA', ca: 'CN=Other Intermediate CA' });
    const problems = await check({ ...goodFiles, 'root-cert.pem': pem(other.root), 'cert-chain.pem': pem(good.ca, other.root) });
    expect(problems).toContainEqual({
      file: 'ca-cert.pem',
      reason: 'is not issued by root-cert.pem: its issuer is "CN=Test Root CA", not "CN=Other Root CA"',
    });
    expect(problems).toContainEqual({ file: 'cert-chain.pem', reason: expect.stringMatching(/certificate 2 .* did not issue certificate 1/) });
  });

  it('a ca-cert whose signature does not verify with the root key (same names, other key)', async () => {
    // Same subject names as `good`, different keys: only the signature can tell them apart.
    const twin = await parts();
    const problems = await check({ ...goodFiles, 'root-cert.pem': pem(twin.root), 'cert-chain.pem': pem(good.ca, twin.root) });
    expect(problems).toContainEqual({
      file: 'ca-cert.pem',
      reason: 'is not issued by root-cert.pem: its signature does not verify with the public key of "CN=Test Root CA"',
    });
  });

  it('a root that is not self-signed and a root that is not a CA', async () => {
    const notSelfSigned = await cert({ subject: 'CN=Test Root CA', issuerName: 'CN=Someone Else', keys: good.rootKeys, ca: true, keyUsage: CA_USAGE });
    let problems = await check({ ...goodFiles, 'root-cert.pem': pem(notSelfSigned), 'cert-chain.pem': pem(good.ca, notSelfSigned) });
    expect(problems).toContainEqual({ file: 'root-cert.pem', reason: expect.stringMatching(/^is not self-signed/) });

    const notCa = await cert({ subject: 'CN=Test Root CA', keys: good.rootKeys, ca: false, keyUsage: CA_USAGE });
    problems = await check({ ...goodFiles, 'root-cert.pem': pem(notCa), 'cert-chain.pem': pem(good.ca, notCa) });
    expect(problems).toEqual([{ file: 'root-cert.pem', reason: expect.stringMatching(/^is not a CA certificate/) }]);
  });

  it('a chain out of order (root before intermediate)', async () => {
    const problems = await check({ ...goodFiles, 'cert-chain.pem': pem(good.root, good.ca) });
    expect(problems).toEqual([
      { file: 'cert-chain.pem', reason: 'must start with the certificate of ca-cert.pem; certificate 1 is "CN=Test Root CA"' },
      { file: 'cert-chain.pem', reason: expect.stringMatching(/^certificate 2 \("CN=Test Intermediate CA"\) did not issue certificate 1/) },
      { file: 'cert-chain.pem', reason: 'must end with the certificate of root-cert.pem; the last one is "CN=Test Intermediate CA"' },
    ]);
  });

  it('a chain that stops before the root', async () => {
    expect(await check({ ...goodFiles, 'cert-chain.pem': pem(good.ca) })).toEqual([
      { file: 'cert-chain.pem', reason: 'must end with the certificate of root-cert.pem; the last one is "CN=Test Intermediate CA"' },
    ]);
  });

  it('expired certificates, in every file that holds them', async () => {
    const problems = await check(goodFiles, new Date(TO.getTime() + 1000));
    const expired = `expired at ${TO.toISOString()}`;
    expect(problems).toEqual([
      { file: 'ca-cert.pem', reason: `certificate "CN=Test Intermediate CA" ${expired}` },
      { file: 'root-cert.pem', reason: `certificate "CN=Test Root CA" ${expired}` },
      { file: 'cert-chain.pem', reason: `certificate 1 ("CN=Test Intermediate CA") ${expired}` },
      { file: 'cert-chain.pem', reason: `certificate 2 ("CN=Test Root CA") ${expired}` },
    ]);
  });

  it('certificates that are not valid yet', async () => {
    const problems = await check(goodFiles, new Date(FROM.getTime() - 1000));
    expect(problems).toHaveLength(4);
    expect(problems[0]).toEqual({ file: 'ca-cert.pem', reason: `certificate "CN=Test Intermediate CA" is not valid before ${FROM.toISOString()}` });
  });

  it('missing files, each named', async () => {
    const { 'ca-key.pem': _key, 'cert-chain.pem': _chain, ...rest } = goodFiles;
    expect(await check(rest)).toEqual([
      { file: 'ca-key.pem', reason: 'is missing' },
      { file: 'cert-chain.pem', reason: 'is missing' },
    ]);
  });

  it('files that are not PEM', async () => {
    const problems = await check({ ...goodFiles, 'ca-cert.pem': 'hello', 'ca-key.pem': 'not a key' });
    expect(problems).toContainEqual({ file: 'ca-cert.pem', reason: 'is not PEM: it holds no complete -----BEGIN CERTIFICATE----- block' });
    expect(problems).toContainEqual({ file: 'ca-key.pem', reason: 'is not PEM: it holds no private key block (-----BEGIN ... PRIVATE KEY-----)' });
  });

  it('a PEM block that is not a valid certificate', async () => {
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    expect(await check({ ...goodFiles, 'root-cert.pem': broken })).toContainEqual({
      file: 'root-cert.pem',
      reason: 'PEM block 1 is not a valid X.509 certificate',
    });
  });

  it('more than one certificate in ca-cert.pem', async () => {
    expect(await check({ ...goodFiles, 'ca-cert.pem': pem(good.ca, good.root) })).toContainEqual({
      file: 'ca-cert.pem',
      reason: 'must hold exactly one certificate; it holds 2',
    });
  });

  it('an encrypted key', async () => {
    const encrypted = createPrivateKey(goodFiles['ca-key.pem'])
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'test-only' })
      .toString();
    expect(await check({ ...goodFiles, 'ca-key.pem': encrypted })).toEqual([
      { file: 'ca-key.pem', reason: 'is encrypted; Citadel needs the key without a passphrase' },
    ]);
  });

  it('a garbled key without echoing it', async () => {
    const garbled = goodFiles['ca-key.pem'].replace(/^(-----BEGIN PRIVATE\x20KEY-----\n)(.{20})/, '$1AAAAAAAAAAAAAAAAAAAA');
    expect(await check({ ...goodFiles, 'ca-key.pem': garbled })).toEqual([
      { file: 'ca-key.pem', reason: 'is not a readable PEM private key (PKCS#8, PKCS#1 or SEC1)' },
    ]);
  });
});

describe('validation messages never carry key material', () => {
  it('names a private key found in a certificate file without quoting it', async () => {
    const key = goodFiles['ca-key.pem'];
    const problems = await check({ ...goodFiles, 'ca-cert.pem': key, 'root-cert.pem': key + pem(good.root), 'cert-chain.pem': key });
    expect(problems).toContainEqual({ file: 'ca-cert.pem', reason: 'PEM block 1 (line 1) is a private key; the file must hold only certificate PEM blocks' });
    const text = JSON.stringify(problems);
    expect(text).not.toMatch(/PRIVATE KEY/);
    for (const line of keyBody(key)) expect(text).not.toContain(line);
  });
});

/** Base64 lines of a PEM key, which must never show up in messages. */
function keyBody(pemKey: string): string[] {
  return pemKey.split('\n').filter((line) => line && !line.startsWith('-----'));
}

async function webcryptoRsaParts(): Promise<CaFiles> {
  const { generateCa } = await import('../../src/certs/generate');
  // 2048-bit would be faster but generateCa only offers rsa-4096; once is enough here.
  return generateCa({ algorithm: 'rsa-4096', organization: 'test', cluster: 'c', now: DURING });
}
