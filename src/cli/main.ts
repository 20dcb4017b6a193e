import { Command, CommanderError } from 'commander';
import { environmentError } from './env-error';
import { CliError, CliIO, processIO } from './io';
import { VERSION } from './meta';
import { escapeControls, escapeControlsPerLine } from '../util/text';

type Register = (program: Command, io: CliIO) => void;

/**
 * The commands, each loaded only when it runs: a command's module pulls in what it
 * needs (cdk8s, X.509, the setters engine), and `asmpkg synth` with nothing to do
 * must not pay for the others.
 */
const COMMANDS: readonly { name: string; summary: string; load: () => Promise<Register> }[] = [
  { name: 'synth', summary: 'render a package for every cluster of a config into OUT/<cluster-name>/', load: async () => (await import('./synth')).registerSynth },
  { name: 'set', summary: 'set kpt setter values in package directories', load: async () => (await import('./set')).registerSet },
  { name: 'lint', summary: 'check Istio resources against the ASM 1.4 support matrix', load: async () => (await import('./lint')).registerLint },
  { name: 'certs', summary: 'write a new root + intermediate CA for Citadel (GKE on-prem)', load: async () => (await import('./certs')).registerCerts },
];

/** Builds the `asmpkg` program with the command `argv` names fully registered. */
export async function buildProgram(io: CliIO, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('asmpkg')
    .description('Render Anthos Service Mesh 1.4.6-asm.0 install packages (kpt packages, plain YAML) with cdk8s')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s.replace(/\n$/, '')),
      // commander echoes what it did not understand: never with raw terminal controls.
      writeErr: (s) => io.stderr(escapeControlsPerLine(s.replace(/\n$/, ''))),
    })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nExit codes: 0 success, 1 lint findings, 2 bad input or refused request.');
  const wanted = argv[0] === 'help' ? argv[1] : argv[0];
  for (const command of COMMANDS) {
    if (command.name === wanted) (await command.load())(program, io);
    else program.command(command.name).summary(command.summary).description(command.summary);
  }
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Runs the CLI and returns the exit code; never prints a stack trace. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const program = await buildProgram(io, argv);
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
    // Messages may echo input (a value, a name, a path): never with raw terminal controls.
    if (message) for (const raw of message.split('\n')) {
      const line = escapeControls(raw);
      io.stderr(line.startsWith('asmpkg') ? line : `asmpkg: ${line}`);
    }
    return typeof code === 'number' ? code : 2;
  }
  // A full disk, a read-only mount, a permission: the user's to fix, not a bug.
  const env = environmentError(e);
  if (env) {
    io.stderr(escapeControls(env.message));
    return 2;
  }
  io.stderr(`asmpkg: internal error: ${escapeControls(String((e as Error)?.message ?? e))} (please report this)`);
  return 3;
}
