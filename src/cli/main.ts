import { Command, CommanderError } from 'commander';
import { CliError, CliIO, processIO } from './io';
import { VERSION } from './meta';
import { registerCerts } from './certs';
import { registerSet } from './set';
import { registerSynth } from './synth';

/** Builds the `asmpkg` program; commands register themselves with the shared IO. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('asmpkg')
    .description('Render Anthos Service Mesh 1.4.6-asm.0 install packages (kpt packages, plain YAML) with cdk8s')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s.replace(/\n$/, '')),
      writeErr: (s) => io.stderr(s.replace(/\n$/, '')),
    })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Exit codes: 0 success, 1 lint findings, 2 bad input or refused request.`,
    );
  registerSynth(program, io);
  registerSet(program, io);
  registerCerts(program, io);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Runs the CLI and returns the exit code; never prints a stack trace. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const program = buildProgram(io);
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    return exitCodeOf(e, io);
  }
}

function exitCodeOf(e: unknown, io: CliIO): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    return 2; // commander already printed the usage problem
  }
  const code = (e as { exitCode?: unknown })?.exitCode;
  if (e instanceof CliError || typeof code === 'number') {
    const message = (e as Error).message;
    if (message) for (const line of message.split('\n')) io.stderr(line.startsWith('asmpkg') ? line : `asmpkg: ${line}`);
    return typeof code === 'number' ? code : 2;
  }
  io.stderr(`asmpkg: internal error: ${(e as Error)?.message ?? String(e)} (please report this)`);
  return 3;
}
