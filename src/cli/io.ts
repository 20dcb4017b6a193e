import { readStreamCapped } from '../util/input-file';
import type { OutputFs } from './swap';

/** What a command may use of the process: injected, so commands are testable in memory. */
export interface CliIO {
  stdout(line: string): void;
  stderr(line: string): void;
  /** Reads all of standard input (for `-` paths), refusing more than `maxBytes` or invalid UTF-8 (throws InputFileError). */
  stdin?: (maxBytes: number) => Promise<string>;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Whether stderr is a terminal (progress is shown only there). */
  readonly isTTY?: boolean;
  /** The file operations synth writes OUT with (default node:fs); tests inject failures (a full disk) here. */
  readonly fs?: OutputFs;
}

/** An error that ends a command with a given exit code and message lines. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function processIO(): CliIO {
  return {
    stdout: (line) => process.stdout.write(line + '\n'),
    stderr: (line) => process.stderr.write(line + '\n'),
    stdin: (maxBytes) => readStreamCapped(process.stdin, '<stdin>', { maxBytes, what: 'standard input' }),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
  };
}
