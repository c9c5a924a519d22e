#!/usr/bin/env node
/**
 * The `ferrotrade` command: `ferrotrade <command> [options]`. Each command is a file under
 * `commands/` registered in `commands/index.ts`; `ferrotrade <command> --help` prints its options.
 */
import { COMMANDS } from './commands/index.js';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: ferrotrade <command> [options]\n\ncommands:\n${lines.join('\n')}\n\n` +
    `ferrotrade <command> --help prints a command's options.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new Error(`unknown command '${name}'\n\n${usage()}`);
  return (await command.run(rest)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ferrotrade: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
