import { spawnSync } from 'node:child_process';
import { escapeControls } from '../util/text';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError, CliIO } from './io';
import { formatValue } from '../config/problems';
import {
  CA_ALGORITHMS,
  CA_FILE_NAMES,
  CA_KEY_FILE,
  CaAlgorithm,
  DEFAULT_CA_ALGORITHM,
  DEFAULT_CA_VALIDITY_DAYS,
  DEFAULT_ORGANIZATION,
  DEFAULT_ROOT_VALIDITY_DAYS,
  generateCa,
  generateCaOptionProblems,
  GenerateCaOptions,
  generateServingCert,
  SERVING_CERT_FILE_NAMES,
  SERVING_KEY_FILE,
} from '../certs';
import type { ServingComponent } from '../certs';

/** A refused request: one line per problem; main prints them and exits 2. */
export class CommandError extends CliError {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'), 2);
    this.name = 'CommandError';
  }
}

/** Options of `asmpkg certs` as commander hands them over (all strings). */
export interface CertsOptions {
  out?: string;
  algorithm?: string;
  cluster?: string;
  org?: string;
  rootDays?: string;
  caDays?: string;
  force?: boolean;
  sidecarInjector?: boolean;
  galley?: boolean;
  tdSidecarInjector?: boolean;
}


/** Generation option -> the command-line option users type, for messages. */
const OPTION_NAMES: Readonly<Record<string, string>> = {
  algorithm: '--algorithm',
  organization: '--org',
  cluster: '--cluster',
  rootValidityDays: '--root-days',
  caValidityDays: '--ca-days',
};

/** Adds `asmpkg certs --out DIR [--algorithm ...] [--force]`. */
export function registerCerts(program: Command, io: CliIO): void {
  program
    .command('certs')
    .summary('write a new root + intermediate CA for Citadel (GKE on-prem), or the injector or galley webhook certificate')
    .description(
      'Write a new self-signed root CA and an intermediate CA signed by it into DIR, as the ' +
        'files Citadel reads from the `cacerts` Secret in istio-system: ca-cert.pem (the ' +
        'intermediate), ca-key.pem (its private key, mode 0600), root-cert.pem and ' +
        'cert-chain.pem (intermediate then root).',
    )
    .option('--out <dir>', 'directory to write the files into, created if needed (required)')
    // No commander defaults: they would make "given" undetectable (--sidecar-injector and --galley refuse
    // the CA-only options); parseOptions applies the defaults the help text names.
    .option('--algorithm <name>', `key algorithm: ${CA_ALGORITHMS.join(' or ')} (default: "${DEFAULT_CA_ALGORITHM}")`)
    .option('--cluster <name>', 'cluster name written into the certificate subjects (L=) (default: the name of DIR)')
    .option('--org <name>', `organization written into the certificate subjects (O=) (default: "${DEFAULT_ORGANIZATION}")`)
    .option('--root-days <n>', `root certificate lifetime in days (default: "${DEFAULT_ROOT_VALIDITY_DAYS}")`)
    .option('--ca-days <n>', `intermediate certificate lifetime in days (default: "${DEFAULT_CA_VALIDITY_DAYS}")`)
    .option('--force', 'replace CA files that already exist in DIR')
    .option(
      '--sidecar-injector',
      "write the sidecar injector's webhook certificate (GKE) instead: root-cert.pem, cert-chain.pem, key.pem " +
        '(ECDSA P-256, one self-signed certificate: --algorithm, --root-days and --ca-days do not apply)',
    )
    .option(
      '--galley',
      "write galley's validating webhook certificate (GKE) instead, as --sidecar-injector does for the injector " +
        '(cannot be combined with --sidecar-injector)',
    )
    .option(
      '--td-sidecar-injector',
      "write Traffic Director's sidecar injector webhook certificate instead (profile traffic-director; SAN " +
        'istio-sidecar-injector.istio-control.svc), the same three files',
    )
    .addHelpText(
      'after',
      [
        '',
        'The private key never leaves DIR: only file names are printed. If DIR is inside a',
        'git work tree it must be git-ignored there (or choose a directory outside the',
        'repository); existing files are kept unless --force is given. rsa-4096 takes a',
        'few seconds to generate.',
        '',
        'Example:',
        '  asmpkg certs --out ~/asm-ca/onprem-1 --cluster onprem-1',
        '  cd ~/asm-ca/onprem-1',
        '  kubectl create namespace istio-system',
        '  kubectl create secret generic cacerts -n istio-system \\',
        '    --from-file=ca-cert.pem --from-file=ca-key.pem \\',
        '    --from-file=root-cert.pem --from-file=cert-chain.pem',
        '',
        'On GKE there is no Citadel to issue the sidecar injector its webhook certificate',
        '(`asmpkg synth` makes one per cluster); for a kpt package, make it with:',
        '  asmpkg certs --sidecar-injector --out ~/asm-injector/gke-1 --cluster gke-1',
        '  kubectl create secret generic istio.istio-sidecar-injector-service-account -n istio-system \\',
        '    --type istio.io/key-and-cert --from-file=root-cert.pem --from-file=cert-chain.pem --from-file=key.pem',
        "and galley's (its validating webhook) likewise:",
        '  asmpkg certs --galley --out ~/asm-galley/gke-1 --cluster gke-1',
        '  kubectl create secret generic istio.istio-galley-service-account -n istio-system \\',
        '    --type istio.io/key-and-cert --from-file=root-cert.pem --from-file=cert-chain.pem --from-file=key.pem',
      ].join('\n'),
    )
    .action(async (options: CertsOptions) => {
      await runCerts(options, io);
    });
}

/**
 * Checks the request, generates the CA and writes it. Throws {@link CommandError}
 * (exit code 2) on any refusal, before anything is written.
 */
export async function runCerts(options: CertsOptions, io: CliIO): Promise<void> {
  const { out, generateOptions, lines } = parseOptions(options, io.cwd);
  if (lines.length > 0 || out === undefined || generateOptions === undefined) throw new CommandError(lines);

  const component = servingComponent(options);
  const kind = component ? SERVING_KINDS[component] : CA_KIND;
  const refusals = [
    ...(await existingFileProblems(out, options.force === true, kind)),
    ...gitProblems(out, io, kind.keyFile),
  ];
  if (refusals.length > 0) throw new CommandError(refusals);

  const files = await kind.generate(generateOptions);
  await writeAll(
    out,
    kind.files.map((file) => ({ file, content: files[file], mode: file === kind.keyFile ? 0o600 : 0o644 })),
  );
  for (const file of kind.files) io.stdout(`wrote ${escapeControls(display(join(out, file), io.cwd))}`);
}

/** What `certs` writes: Citadel's CA (default) or a component's webhook certificate. */
interface CertKind {
  readonly files: readonly string[];
  readonly keyFile: string;
  generate(options: GenerateCaOptions): Promise<Readonly<Record<string, string>>>;
}

const CA_KIND: CertKind = { files: CA_FILE_NAMES, keyFile: CA_KEY_FILE, generate: generateCa };
const servingKind = (component: ServingComponent): CertKind => ({
  files: SERVING_CERT_FILE_NAMES,
  keyFile: SERVING_KEY_FILE,
  generate: (o) => generateServingCert(component, { cluster: o.cluster, organization: o.organization }),
});
const SERVING_KINDS: Readonly<Record<ServingComponent, CertKind>> = {
  sidecarInjector: servingKind('sidecarInjector'),
  galley: servingKind('galley'),
  tdSidecarInjector: servingKind('tdSidecarInjector'),
};

/** The flag that asks for each component's certificate. */
const SERVING_FLAGS: Readonly<Record<ServingComponent, string>> = { sidecarInjector: '--sidecar-injector', galley: '--galley', tdSidecarInjector: '--td-sidecar-injector' };

/** The components whose webhook certificate is asked for (parseOptions refuses more than one). */
function servingComponents(options: CertsOptions): ServingComponent[] {
  return (Object.keys(SERVING_FLAGS) as ServingComponent[]).filter((c) => options[c] === true);
}

/** The component whose webhook certificate is asked for, if any. */
function servingComponent(options: CertsOptions): ServingComponent | undefined {
  return servingComponents(options)[0];
}

interface ParsedOptions {
  out?: string;
  generateOptions?: GenerateCaOptions;
  lines: string[];
}

/** Options that shape Citadel's CA only; the injector certificate has a fixed form. */
const CA_ONLY_OPTIONS: readonly { key: 'algorithm' | 'rootDays' | 'caDays'; flag: string }[] = [
  { key: 'algorithm', flag: '--algorithm' },
  { key: 'rootDays', flag: '--root-days' },
  { key: 'caDays', flag: '--ca-days' },
];

/**
 * Checks the options and applies their defaults (the option definitions carry none, so
 * an option is `undefined` here exactly when it was not given).
 */
function parseOptions(options: CertsOptions, cwd: string): ParsedOptions {
  const lines: string[] = [];
  const asked = servingComponents(options);
  if (asked.length > 1) {
    lines.push(`${asked.map((c) => SERVING_FLAGS[c]).join(' and ')} cannot be combined: write each certificate into its own directory`);
  }
  const component = servingComponent(options);
  if (component) {
    const what = component === 'galley' ? 'the galley certificate' : 'the injector certificate';
    for (const { key, flag } of CA_ONLY_OPTIONS) {
      if (options[key] !== undefined) {
        lines.push(`${flag} does not apply to ${SERVING_FLAGS[component]}: ${what} is ECDSA P-256, one self-signed certificate`);
      }
    }
  }
  if (options.out === undefined || options.out.trim() === '') {
    lines.push('--out: is required; name the directory to write the CA files into');
    return { lines };
  }
  if (lines.length > 0) return { lines };
  const out = resolve(cwd, options.out);
  const rootValidityDays = parseDays('--root-days', options.rootDays ?? String(DEFAULT_ROOT_VALIDITY_DAYS), lines);
  const caValidityDays = parseDays('--ca-days', options.caDays ?? String(DEFAULT_CA_VALIDITY_DAYS), lines);
  const generateOptions: GenerateCaOptions = {
    algorithm: (options.algorithm ?? DEFAULT_CA_ALGORITHM) as CaAlgorithm,
    organization: options.org ?? DEFAULT_ORGANIZATION,
    cluster: options.cluster ?? basename(out),
    rootValidityDays,
    caValidityDays,
  };
  for (const problem of generateCaOptionProblems(generateOptions)) {
    const field = String(problem.path[0]);
    // Days that did not parse were reported above; their NaN would only repeat it.
    if (Number.isNaN(problem.value)) continue;
    const value = 'value' in problem ? ` (got ${formatValue(problem.value)})` : '';
    lines.push(`${OPTION_NAMES[field] ?? field}: ${problem.message}${value}`);
  }
  return { out, generateOptions, lines };
}

function parseDays(option: string, text: string, lines: string[]): number {
  if (!/^\d+$/.test(text.trim())) {
    lines.push(`${option}: must be a whole number of days (got ${formatValue(text)})`);
    return Number.NaN;
  }
  return Number(text.trim());
}

/** Refuses to replace CA files (without --force) or to use a non-directory as DIR. */
async function existingFileProblems(out: string, force: boolean, kind: CertKind): Promise<string[]> {
  const outStat = await stat(out).catch(() => undefined);
  if (outStat === undefined) return [];
  if (!outStat.isDirectory()) return [`--out: ${out} exists and is not a directory`];
  const present: string[] = [];
  for (const file of kind.files) {
    if (await lstat(join(out, file)).then(() => true, () => false)) present.push(file);
  }
  if (present.length === 0 || force) return [];
  return [`--out: ${out} already holds ${present.join(', ')}; pass --force to overwrite, or choose another directory`];
}

/**
 * Refuses to write the key where git would pick it up: inside a work tree, the key's
 * path must be git-ignored there. Without git, or outside any work tree, there is
 * nothing to commit it to, so the write is allowed.
 */
function gitProblems(out: string, io: CliIO, keyFile: string): string[] {
  const start = nearestExistingDir(out);
  const git = (args: string[]) =>
    spawnSync('git', args, { cwd: start, env: io.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  const top = git(['rev-parse', '--show-toplevel']);
  if (top.error || top.status !== 0) return [];
  const root = top.stdout.trim();

  // git works on real paths (its top level has symlinks resolved); so do we.
  const realOut = join(realpathSync(start), relative(start, out));
  // Exit 0: ignored. Exit 1: not ignored (tracked files count as not ignored, which
  // is right: git would commit changes to them). Anything else: unsure, so refuse.
  if (git(['check-ignore', '-q', '--', join(realOut, keyFile)]).status === 0) return [];
  const rel = relative(root, realOut).split('\\').join('/');
  const pattern = rel === '' ? `/${keyFile}` : `/${rel}/`;
  return [
    `--out: ${out} is inside the git work tree ${root} and is not git-ignored, so ${keyFile} could be committed; ` +
      `add "${pattern}" to ${join(root, '.gitignore')} or choose a directory outside the repository`,
  ];
}

async function writeAll(out: string, files: { file: string; content: string; mode: number }[]): Promise<void> {
  // 0700: the directory will hold a private key.
  await mkdir(out, { recursive: true, mode: 0o700 });
  // Each file goes to a new temporary file first and is renamed into place, so a
  // failure leaves the old files untouched and an overwritten key gets a new inode
  // with mode 0600 (writeFile's mode applies only when it creates the file).
  const suffix = `.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const temps: string[] = [];
  try {
    for (const { file, content, mode } of files) {
      const temp = join(out, `.${file}${suffix}`);
      await writeFile(temp, content, { mode, flag: 'wx' });
      temps.push(temp);
    }
  } catch (error) {
    await Promise.all(temps.map((temp) => unlink(temp).catch(() => undefined)));
    throw error;
  }
  for (const [i, { file }] of files.entries()) await rename(temps[i], join(out, file));
}

function nearestExistingDir(path: string): string {
  let dir = path;
  while (!(existsSync(dir) && statSync(dir).isDirectory()) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** A path as the user would type it: relative to cwd when below it. */
function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
