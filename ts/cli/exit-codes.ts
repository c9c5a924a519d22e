/**
 * Exit codes of the `ferrotrade` command, for scripts. Every command keeps to them; docs/cli.md
 * lists them.
 */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** The command ran and failed: bad data, a strategy that threw, a file that cannot be read. */
  FAILED: 1,
  /** The command line is wrong: unknown command or option, a missing or bad value. */
  USAGE: 2,
  /** Done in part: some items failed (e.g. some combinations of a sweep); results were written. */
  PARTIAL: 3,
  /** Stopped by Ctrl-C (128 + SIGINT). */
  INTERRUPTED: 130,
} as const;

/** A problem with the command line: printed with the command's usage line, exit code 2. */
export class CliUsageError extends Error {
  readonly exitCode = EXIT.USAGE;
}
