import {
  checkIsCa,
  checkChainOrder,
  checkValidity,
  issuanceProblem,
  parseCertificates,
  parsePrivateKey,
  publicKeyMatches,
  reportMissing,
  sameCertificate,
  selfSigned,
  single,
} from './checks';
import { CA_FILE_NAMES, CaFileName, CaProblem } from './types';

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

  reportMissing(CA_FILE_NAMES, files, report);

  const caCert = single('ca-cert.pem', parseCertificates('ca-cert.pem', files['ca-cert.pem'], report), report);
  const rootCert = single('root-cert.pem', parseCertificates('root-cert.pem', files['root-cert.pem'], report), report);
  const chain = parseCertificates('cert-chain.pem', files['cert-chain.pem'], report);
  const caKey = parsePrivateKey('ca-key.pem', files['ca-key.pem'], report, 'Citadel');

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
    if (!(await selfSigned(rootCert))) {
      report('root-cert.pem', `is not self-signed (subject "${rootCert.subject}", issuer "${rootCert.issuer}")`);
    }
    checkIsCa('root-cert.pem', rootCert, false, report);
  }

  if (chain && chain.length > 0) {
    if (caCert && !sameCertificate(chain[0], caCert)) {
      report('cert-chain.pem', `must start with the certificate of ca-cert.pem; certificate 1 is "${chain[0].subject}"`);
    }
    await checkChainOrder('cert-chain.pem', chain, report);
    const last = chain[chain.length - 1];
    if (rootCert && !sameCertificate(last, rootCert)) {
      report('cert-chain.pem', `must end with the certificate of root-cert.pem; the last one is "${last.subject}"`);
    }
  }

  checkValidity<CaFileName>(
    [
      ['ca-cert.pem', caCert && [caCert]],
      ['root-cert.pem', rootCert && [rootCert]],
      ['cert-chain.pem', chain],
    ],
    now,
    report,
  );

  return problems;
}
