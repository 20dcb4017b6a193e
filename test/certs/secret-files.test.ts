import { parse, parseAllDocuments } from 'yaml';
import { generateCa } from '../../src/certs/generate';
import { secretFiles } from '../../src/certs/secret-files';
import { CA_FILE_NAMES, CaFiles } from '../../src/certs/types';

let ca: CaFiles;

beforeAll(async () => {
  ca = await generateCa({ algorithm: 'ecdsa-p256', organization: 'test', cluster: 'c1', now: new Date('2030-01-01T00:00:00Z') });
});

describe('secretFiles', () => {
  it('lists the Secret manifest, the four PEM files and a .gitignore of everything', () => {
    const files = secretFiles(ca);
    expect(files.map((f) => [f.path, f.mode, f.secret ?? false])).toEqual([
      ['secrets/.gitignore', 0o644, false],
      ['secrets/ca-cert.pem', 0o644, false],
      ['secrets/ca-key.pem', 0o600, true],
      ['secrets/cacerts.yaml', 0o600, true],
      ['secrets/cert-chain.pem', 0o644, false],
      ['secrets/root-cert.pem', 0o644, false],
    ]);
    const gitignore = files.find((f) => f.path === 'secrets/.gitignore')!;
    expect(gitignore.content.split('\n')).toContain('*');
  });

  it('renders the cacerts Secret Citadel reads', () => {
    const yaml = secretFiles(ca).find((f) => f.path === 'secrets/cacerts.yaml')!.content;
    const docs = parseAllDocuments(yaml).map((d) => d.toJS());
    expect(docs).toHaveLength(1);
    const secret = docs[0];
    expect(secret).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'cacerts', namespace: 'istio-system' } });
    for (const file of CA_FILE_NAMES) {
      expect(Buffer.from(secret.data[file], 'base64').toString('utf8')).toBe(ca[file]);
    }
    expect(yaml.startsWith('# ')).toBe(true);
  });

  it('is deterministic for the same CA', () => {
    expect(secretFiles(ca)).toEqual(secretFiles({ ...ca }));
  });

  it('carries key material only in files marked secret', () => {
    const keyLines = ca['ca-key.pem'].split('\n').filter((l) => l && !l.startsWith('-----'));
    const keyBase64 = Buffer.from(ca['ca-key.pem']).toString('base64');
    for (const file of secretFiles(ca)) {
      const carriesKey = file.content.includes('PRIVATE KEY') || file.content.includes(keyBase64) || keyLines.some((l) => file.content.includes(l));
      expect([file.path, carriesKey]).toEqual([file.path, file.secret === true]);
      if (file.secret) expect(file.mode).toBe(0o600);
    }
    expect(parse(secretFiles(ca).find((f) => f.path === 'secrets/cacerts.yaml')!.content).data['ca-key.pem']).toBe(keyBase64);
  });
});
