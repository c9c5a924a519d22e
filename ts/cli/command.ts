/** One subcommand of the `ferrotrade` CLI: each lives in its own file under `commands/`. */
export interface CliCommand {
  /** The word after `ferrotrade`. */
  name: string;
  /** One line for `ferrotrade --help`. */
  summary: string;
  /**
   * Runs the command with the arguments after its name. Resolves to the process exit code
   * (0 when it returns nothing); a thrown error prints `ferrotrade: <message>` and exits 2.
   * A long-running command (a worker, a live session) resolves when it has started and keeps
   * the process alive itself.
   */
  run(args: string[]): Promise<number | void>;
}
