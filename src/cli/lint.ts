import type { Command } from 'commander';
import { MATRIX_PROFILES } from '../catalog/support-matrix';
import type { AsmProfile as Profile } from '../catalog/profiles';
import { runLint } from '../lint/run';
import type { Severity } from '../lint/model';
import { CliError, CliIO } from './io';

const FORMATS = ['text', 'json'] as const;
const SEVERITIES: readonly Severity[] = ['error', 'warning'];

interface LintFlags {
  profile: string;
  format: string;
  failOn: string;
}

/**
 * Adds `asmpkg lint PATH...`. Findings and input errors (`asmpkg: `-prefixed, on
 * stderr) are printed by the command itself, so a failing run throws a `CliError` with
 * an empty message and exit code 1 (findings) or 2 (unreadable input, no manifests,
 * bad option) for `main` to return.
 */
export function registerLint(program: Command, io: CliIO): void {
  program
    .command('lint')
    .summary('check Istio resources against the ASM 1.4 support matrix')
    .description(
      'Report every Istio resource in PATH (files, directories searched for *.yaml, *.yml and ' +
        '*.json, or - for standard input) that uses something ASM 1.4 does not support on the ' +
        'chosen profile: EnvoyFilter, consistent-hash or locality load balancing, rbac.istio.io, ' +
        'service-level or enforcing-JWT authentication policy, L7 WebSocket/MongoDB/Redis/Kafka (ports ' +
        'named tcp-… are TCP, which is supported), auto mTLS or Zipkin in the mesh config, and more. Each ' +
        'finding names its rule (a feature id of docs/support-matrix.md), file:line and reason, then the ' +
        'field path and the fix.',
    )
    .argument('<paths...>', 'manifest files or directories, or - for stdin')
    .option('--profile <profile>', `profile whose support statuses apply: ${MATRIX_PROFILES.join(', ')}`, 'gke')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option('--fail-on <severity>', 'lowest finding severity that exits 1: warning or error', 'warning')
    .addHelpText(
      'after',
      '\nExit codes: 0 no findings, 1 findings, 2 unreadable input, a PATH with no manifests, or bad option.\n' +
        'With unreadable input every finding is still reported, and the summary says the check is incomplete.',
    )
    .action(async (paths: string[], flags: LintFlags) => {
      const bad = [
        ...(MATRIX_PROFILES.includes(flags.profile as Profile) ? [] : [`--profile: "${flags.profile}" is not a profile; use one of ${MATRIX_PROFILES.join(', ')}`]),
        ...((FORMATS as readonly string[]).includes(flags.format) ? [] : [`--format: "${flags.format}" is not a format; use text or json`]),
        ...((SEVERITIES as readonly string[]).includes(flags.failOn) ? [] : [`--fail-on: "${flags.failOn}" is not a severity; use warning or error`]),
      ];
      if (bad.length > 0) throw new CliError(bad.join('\n'), 2);
      const code = await runLint(
        paths,
        { profile: flags.profile as Profile, format: flags.format as 'text' | 'json', failOn: flags.failOn as Severity },
        io,
      );
      if (code !== 0) throw new CliError('', code);
    });
}
