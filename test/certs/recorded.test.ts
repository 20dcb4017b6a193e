/**
 * Sets whose bytes the caller recorded (OUT/index.yaml, when asmpkg wrote or fully
 * validated them on an earlier run): reused without the structural checks, yet still
 * refused out of their validity period, in exactly the words the full validation uses.
 * Anything not wholly recorded is fully validated as before.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCa, GenerateCaOptions } from '../../src/certs/generate';
import { CaFilesError, loadOrCreateCa, readExistingCa } from '../../src/certs/store';
import { CaFiles, FileProblem, InjectorCerts } from '../../src/certs/types';
import { generateServingCert, GenerateServingCertOptions, loadOrCreateServingCert } from '../../src/certs/webhook';

const NOW = new Date('2030-03-04T05:06:07.000Z');
const DAY = 24 * 60 * 60 * 1000;
const after = (days: number) => new Date(NOW.getTime() + days * DAY);
const CA_OPTIONS: GenerateCaOptions = { algorithm: 'ecdsa-p256', organization: 'test', cluster: 'c1', now: NOW };
const SERVING_OPTIONS: GenerateServingCertOptions = { cluster: 'c1', now: NOW };

const digests = (files: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(files).map(([name, text]) => [name, createHash('sha256').update(text).digest('hex')]));

let tmp: string;
let ca: CaFiles;
let otherCa: CaFiles;
let serving: InjectorCerts;
let otherServing: InjectorCerts;

beforeAll(async () => {
  [ca, otherCa, serving, otherServing] = await Promise.all([
    generateCa(CA_OPTIONS),
    generateCa(CA_OPTIONS),
    generateServingCert(['sidecarInjector', 'galley'], SERVING_OPTIONS),
    generateServingCert(['sidecarInjector', 'galley'], SERVING_OPTIONS),
  ]);
});
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'asmpkg-certs-recorded-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function writeSet(files: Readonly<Record<string, string>>): Promise<string> {
  await mkdir(tmp, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(tmp, name), text);
  return tmp;
}

/** The problems loading the set at `now` is refused with, or [] when it is used. */
type Load = (dir: string, now: Date, recorded?: Record<string, string>) => Promise<readonly FileProblem[]>;
const problemsOf = async (load: () => Promise<unknown>): Promise<readonly FileProblem[]> => {
  const error = await load().then(() => undefined, (e: unknown) => e);
  if (error === undefined) return [];
  if (!(error instanceof CaFilesError)) throw error;
  return error.problems;
};
const loadCa: Load = (dir, now, recorded) => problemsOf(() => loadOrCreateCa(dir, { ...CA_OPTIONS, now }, { recorded }));
const loadServing: Load = (dir, now, recorded) =>
  problemsOf(() => loadOrCreateServingCert(dir, 'galley', { ...SERVING_OPTIONS, now }, { recorded }));

type Files = Readonly<Record<string, string>>;
describe.each<[string, () => Files, () => Files, Load, string]>([
  ['a CA', () => ca, () => otherCa, loadCa, 'ca-key.pem'],
  ['a serving certificate', () => serving, () => otherServing, loadServing, 'key.pem'],
])('%s whose digests are recorded', (_what, set, other, load, keyFile) => {
  it('is refused out of its validity period, with the same problems as without a record', async () => {
    const dir = await writeSet(set());
    // Before notBefore (backdated an hour when generated), with only the intermediate
    // expired (2000 days), and with everything expired.
    for (const now of [after(-1), after(2000), after(4000)]) {
      const full = await load(dir, now);
      expect(full).toEqual(expect.arrayContaining([expect.objectContaining({ reason: expect.stringMatching(/ (expired at|is not valid before) \d{4}-/) })]));
      expect([now, await load(dir, now, digests(set()))]).toEqual([now, full]);
    }
  });

  it('is fully validated when a file differs from its record, a file is not recorded, or a digest is garbage', async () => {
    const dir = await writeSet({ ...set(), [keyFile]: other()[keyFile] });
    const full = await load(dir, NOW);
    expect(full).toEqual([{ file: keyFile, reason: expect.stringMatching(/^does not match the public key of /) }]);
    // The record of the set as it was written: the key on disk is not that one.
    expect(await load(dir, NOW, digests(set()))).toEqual(full);
    const tampered = digests({ ...set(), [keyFile]: other()[keyFile] });
    const { [keyFile]: _key, ...partial } = tampered;
    expect(await load(dir, NOW, partial)).toEqual(full);
    expect(await load(dir, NOW, { ...tampered, [keyFile]: 'not a digest' })).toEqual(full);
    expect(await load(dir, NOW, {})).toEqual(full);
  });

  it('vouches for what the caller recorded: a wholly recorded set gets no structural checks', async () => {
    // The record is the caller's word that it wrote or fully checked these bytes before;
    // a caller must only record what it generated or validated.
    const dir = await writeSet({ ...set(), [keyFile]: other()[keyFile] });
    expect(await load(dir, NOW, digests({ ...set(), [keyFile]: other()[keyFile] }))).toEqual([]);
  });
});

it('reuses a recorded set byte for byte', async () => {
  const dir = await writeSet(ca);
  expect(await loadOrCreateCa(dir, CA_OPTIONS, { recorded: digests(ca) })).toEqual({ ca, generated: false });
  expect(await readExistingCa(dir, { now: NOW, recorded: digests(ca) })).toEqual({ status: 'valid', ca });
  await rm(tmp, { recursive: true });
  await writeSet(serving);
  expect(await loadOrCreateServingCert(dir, 'sidecarInjector', SERVING_OPTIONS, { recorded: digests(serving) })).toEqual({ certs: serving, generated: false });
});

it('words an out-of-date recorded set as the full validation does, whatever the subject holds', async () => {
  // Node and @peculiar/x509 write such names differently (line- or comma-separated); the message must not change.
  const options = { ...CA_OPTIONS, organization: 'Acme, Inc. + Co; <ops>', cluster: 'edge=1 ' };
  const odd = await generateCa(options);
  const dir = await writeSet(odd);
  const full = await loadCa(dir, after(4000));
  expect(full).toHaveLength(4);
  expect(await loadCa(dir, after(4000), digests(odd))).toEqual(full);
  const gke = await generateServingCert('galley', { ...SERVING_OPTIONS, organization: options.organization, cluster: options.cluster });
  await writeSet(gke);
  const fullGke = await loadServing(dir, after(4000));
  expect(fullGke).toHaveLength(1);
  expect(await loadServing(dir, after(4000), digests(gke))).toEqual(fullGke);
});

it('--regenerate-ca still replaces a recorded set', async () => {
  const dir = await writeSet(ca);
  const resolved = await loadOrCreateCa(dir, CA_OPTIONS, { regenerate: true, recorded: digests(ca) });
  expect(resolved.generated).toBe(true);
  expect(resolved.ca['root-cert.pem']).not.toBe(ca['root-cert.pem']);
});
