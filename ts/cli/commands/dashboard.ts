/**
 * `ferrotrade dashboard --store sqlite:FILE`: the web dashboard of a live session running in
 * another process, following the journal it writes. The kill switch reaches that session through
 * its pid file (as `ferrotrade kill` does). Started by `ferrotrade run` beside a live role, the
 * dashboard follows the session's event bus instead.
 */
import { journalFeed } from '../../dashboard/feeds.js';
import { startDashboard } from '../../dashboard/server.js';
import { DEFAULT_PID_FILE, requestKillSwitch } from '../../risk/kill-signal.js';
import { CliUsageError, EXIT } from '../exit-codes.js';
import { defineCommand, integerOption } from '../define.js';
import { readToken, TOKEN_ENV } from '../support/token.js';

/** Waits for SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export const dashboardCommand = defineCommand({
  name: 'dashboard',
  summary: "a local web dashboard of a live session (equity, positions, orders, fills, risk, connections), from its journal",
  examples: [
    '--store sqlite:journal.db',
    '--store sqlite:journal.db --port 8080 --token-file ~/.ferrotrade/dashboard.token --pid-file .ferrotrade/live.pid',
  ],
  configure: (cmd) =>
    cmd
      .requiredOption('--store <sqlite:file>', 'the journal the session writes (ferrotrade live --store sqlite:FILE)')
      .option('--session <name>', "only this session's orders")
      .option('--host <address>', 'address to bind; anything but loopback needs a token', '127.0.0.1')
      .option('--port <n>', 'port (0: any free one; the address is printed)', integerOption('--port', 0), 8765)
      .option('--token-file <file>', `the control token, in a file only you can read (else $${TOKEN_ENV}); without one the kill switch is off`)
      .option('--pid-file <file>', 'the pid file of the session whose kill switch the page trips', DEFAULT_PID_FILE)
      .option('--title <text>', 'page title', 'ferrotrade'),
  async action(options) {
    const store = options.store as string;
    if (!store.startsWith('sqlite:') || store.length <= 'sqlite:'.length) throw new CliUsageError(`--store takes sqlite:<file>, the session's journal; got '${store}'`);
    const token = readToken({ ...(options.tokenFile ? { file: options.tokenFile as string } : {}) });
    const pidFile = options.pidFile as string;
    const dashboard = await startDashboard({
      feed: journalFeed(store.slice('sqlite:'.length), options.session ? { session: options.session as string } : {}),
      host: options.host as string,
      port: options.port as number,
      title: options.title as string,
      ...(token ? { token } : {}),
      killSwitch: async (request) => {
        await requestKillSwitch({ pidFile, flatten: request.flatten, reason: request.reason });
      },
    });
    process.stdout.write(`dashboard ${dashboard.url}${token ? '' : ' (control off: no token)'}\n`);
    await untilSignal();
    await dashboard.close();
    return EXIT.OK;
  },
});
