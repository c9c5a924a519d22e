/** One subcommand of the `ferrotrade` CLI: each lives in its own file under `commands/`. */
export interface CliCommand {
  /** The word after `ferrotrade`. */
  name: string;
  /** One line for `ferrotrade --help`. */
  summary: string;
  /**
   * Runs the command with the arguments after its name. Resolves to the process exit code
   * (0 when it returns nothing; see `exit-codes.ts`); a thrown error prints
   * `ferrotrade: <message>` and exits 1 for a `FerroError` (the run failed on its input) and 2
   * for anything else (a usage problem). `--help` must print the options and an example
   * (`define.ts` builds such a command with commander).
   * A long-running command (a worker, a live session) resolves when it has started and keeps
   * the process alive itself.
   */
  run(args: string[]): Promise<number | void>;
}
