import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { CA_FILE_NAMES, CaFileName, CaProblem } from './types';
import { x509 } from './x509';

type Certificate = InstanceType<typeof x509.X509Certificate>;

/** Options for checking CA files. */
export interface ValidateCaOptions {
  /** The time validity periods are checked against; injectable for tests. @default new Date() */
  readonly now?: Date;
}

/**
 * Every reason the four CA files cannot be plugged into Citadel (SPEC 8), or an empty
 * list when they can. Works on file contents only, so it can be tested in memory;
 * a file that is `undefined` is reported as missing. Reasons name certificates by
 * subject and never quote file contents, so they are safe to print.
 */
export async function validateCaFiles(
  files: Partial<Record<CaFileName, string>>,
  options: ValidateCaOptions = {},
): Promise<CaProblem[]> {
  const now = options.now ?? new Date();
  const problems: CaProblem[] = [];
  const report = (file: CaFileName, reason: string): void => {
    problems.push({ file, reason });
  };

  for (const file of CA_FILE_NAMES) {
    if (files[file] === undefined) report(file, 'is missing');
  }

  const caCert = single('ca-cert.pem', parseCertificates('ca-cert.pem', files['ca-cert.pem'], report), report);
  const rootCert = single('root-cert.pem', parseCertificates('root-cert.pem', files['root-cert.pem'], report), report);
  const chain = parseCertificates('cert-chain.pem', files['cert-chain.pem'], report);
  const caKey = parsePrivateKey(files['ca-key.pem'], report);

  if (caCert) {
    checkIsCa('ca-cert.pem', caCert, true, report);
    if (caKey && !publicKeyMatches(caKey, caCert)) {
      report('ca-key.pem', 'does not match the public key of ca-cert.pem');
    }
    if (rootCert) {
      const reason = await issuanceProblem(rootCert, caCert);
      if (reason) report('ca-cert.pem', `is not issued by root-cert.pem: ${reason}`);
    }
  }

  if (rootCert) {
    if (rootCert.issuer !== rootCert.subject || !(await signedBy(rootCert, rootCert))) {
      report('root-cert.pem', `is not self-signed (subject "${rootCert.subject}", issuer "${rootCert.issuer}")`);
    }
    checkIsCa('root-cert.pem', rootCert, false, report);
  }

  if (chain && chain.length > 0) {
    if (caCert && !sameCertificate(chain[0], caCert)) {
      report('cert-chain.pem', `must start with the certificate of ca-cert.pem; certificate 1 is "${chain[0].subject}"`);
    }
    for (let i = 1; i < chain.length; i++) {
      const reason = await issuanceProblem(chain[i], chain[i - 1]);
      if (reason) {
        report(
          'cert-chain.pem',
          `certificate ${i + 1} ("${chain[i].subject}") did not issue certificate ${i} ("${chain[i - 1].subject}"): ${reason}; each certificate must be followed by its issuer`,
        );
      }
    }
    const last = chain[chain.length - 1];
    if (rootCert && !sameCertificate(last, rootCert)) {
      report('cert-chain.pem', `must end with the certificate of root-cert.pem; the last one is "${last.subject}"`);
    }
  }

  const parsed: [CaFileName, Certificate[] | undefined][] = [
    ['ca-cert.pem', caCert && [caCert]],
    ['root-cert.pem', rootCert && [rootCert]],
    ['cert-chain.pem', chain],
  ];
  for (const [file, certs] of parsed) {
    certs?.forEach((cert, i) => {
      const which = certs.length > 1 ? `certificate ${i + 1} ("${cert.subject}")` : `certificate "${cert.subject}"`;
      if (now < cert.notBefore) report(file, `${which} is not valid before ${cert.notBefore.toISOString()}`);
      if (now > cert.notAfter) report(file, `${which} expired at ${cert.notAfter.toISOString()}`);
    });
  }

  return problems;
}

type Report = (file: CaFileName, reason: string) => void;

/** The certificates of a PEM file, or undefined when there is nothing usable to check. */
function parseCertificates(file: CaFileName, text: string | undefined, report: Report): Certificate[] | undefined {
  if (text === undefined) return undefined;
  const blocks = x509.PemConverter.decodeWithHeaders(text);
  if (blocks.length === 0) {
    report(file, 'is not PEM: it holds no complete -----BEGIN CERTIFICATE----- block');
    return undefined;
  }
  const certs: Certificate[] = [];
  let usable = true;
  blocks.forEach((block, i) => {
    if (block.type !== 'CERTIFICATE') {
      // Say what the block is without echoing it; a stray key is called a key, so the
      // message never carries PEM key labels that log scanners treat as leaked keys.
      const what = /PRIVATE KEY/.test(block.type) ? 'a private key' : `a ${block.type} block`;
      report(file, `PEM block ${i + 1} is ${what}, not a certificate; only certificates belong here`);
      usable = false;
      return;
    }
    try {
      certs.push(new x509.X509Certificate(block.rawData));
    } catch {
      report(file, `PEM block ${i + 1} is not a valid X.509 certificate`);
      usable = false;
    }
  });
  return usable ? certs : undefined;
}

/** The only certificate of a file that must hold exactly one. */
function single(file: CaFileName, certs: Certificate[] | undefined, report: Report): Certificate | undefined {
  if (!certs) return undefined;
  if (certs.length !== 1) {
    report(file, `must hold exactly one certificate; it holds ${certs.length}`);
    return undefined;
  }
  return certs[0];
}

/** ca-key.pem as a key object. Node reads PKCS#8, PKCS#1 and SEC1, all of which Istio's tooling has written. */
function parsePrivateKey(text: string | undefined, report: Report): KeyObject | undefined {
  if (text === undefined) return undefined;
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    report('ca-key.pem', 'is not PEM: it holds no -----BEGIN PRIVATE KEY----- block');
    return undefined;
  }
  if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /^Proc-Type: 4,ENCRYPTED/m.test(text)) {
    report('ca-key.pem', 'is encrypted; Citadel needs the key without a passphrase');
    return undefined;
  }
  try {
    return createPrivateKey({ key: text, format: 'pem' });
  } catch {
    // The library's message is dropped on purpose: nothing derived from the key is printed.
    report('ca-key.pem', 'is not a readable PEM private key (PKCS#8, PKCS#1 or SEC1)');
    return undefined;
  }
}

function publicKeyMatches(key: KeyObject, cert: Certificate): boolean {
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return fromKey.equals(Buffer.from(cert.publicKey.rawData));
}

/**
 * basicConstraints CA:TRUE, and keyCertSign. For ca-cert the keyUsage extension is
 * required (SPEC 8); for a root, whose keyUsage old tools sometimes left out, only
 * a keyUsage that is present but lacks keyCertSign is refused, as RFC 5280 does.
 */
function checkIsCa(file: CaFileName, cert: Certificate, requireKeyUsage: boolean, report: Report): void {
  const constraints = cert.getExtension(x509.BasicConstraintsExtension);
  if (!constraints?.ca) {
    report(file, `is not a CA certificate: basicConstraints CA:TRUE is missing ("${cert.subject}")`);
  }
  const usage = cert.getExtension(x509.KeyUsagesExtension);
  if (!usage) {
    if (requireKeyUsage) report(file, 'has no keyUsage extension; a CA certificate needs keyCertSign');
  } else if ((usage.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    report(file, 'keyUsage does not include keyCertSign, so it cannot sign certificates');
  }
}

/** Why `issuer` did not issue `cert`, or undefined when it did. */
async function issuanceProblem(issuer: Certificate, cert: Certificate): Promise<string | undefined> {
  if (cert.issuer !== issuer.subject) {
    return `its issuer is "${cert.issuer}", not "${issuer.subject}"`;
  }
  if (!(await signedBy(cert, issuer))) return `its signature does not verify with the public key of "${issuer.subject}"`;
  return undefined;
}

async function signedBy(cert: Certificate, issuer: Certificate): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    // Mismatched key types (e.g. an RSA issuer for an ECDSA signature) throw rather than fail.
    return false;
  }
}

function sameCertificate(a: Certificate, b: Certificate): boolean {
  return Buffer.from(a.rawData).equals(Buffer.from(b.rawData));
}
