/**
 * `ferrotrade run <config.json>`: several roles (a live/paper session, its dashboard, a notifier,
 * sweep workers) from one configuration file, started together in this process and stopped
 * together.
 *
 * Exit codes a supervisor can rely on: 0 when stopped by SIGINT/SIGTERM or when the live session's
 * data ended; 1 when a role failed (a live session halted by an error, a role that could not
 * start); 2 when the configuration is invalid (nothing was started); 130 on a second Ctrl-C
 * (stopping at once).
 */
import { ConfigError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';
import { defineCommand } from '../define.js';
import { colorsFor, printJson } from '../output.js';
import { loadRunConfig } from '../run/config.js';
import { prepareRun, type RunningRole } from '../run/roles.js';

const log = (line: string) => process.stderr.write(`[ferrotrade run] ${line}\n`);

export const runCommand = defineCommand({
  name: 'run',
  summary: 'start several roles from one config file (live session, dashboard, notifier, sweep workers); stop them together',
  examples: ['ferrotrade.json', 'ferrotrade.json --check'],
  configure: (cmd) =>
    cmd
      .argument('<config.json>', 'the roles: { "live": {...}, "dashboard": {...}, "notifier": {...}, "workers": {...} }')
      .option('--check', 'check the configuration (and load the strategy) without starting anything')
      .option('--json', 'with --check: print the checked configuration as JSON')
      .addHelpText('after', `
Roles (every key is checked; an unknown one is an error naming it):
  live       { strategy, params?, source?, speed?, count?, store?, session?, cash?, risk?, cancelOnStop? }
  dashboard  { host?, port?, tokenEnv?, tokenFile?, title?, store? }
  notifier   { channels: [{ kind, ... }] }
  workers    { redis?, queue?, concurrency? }

Exit codes: 0 stopped by SIGINT/SIGTERM or the data ended, 1 a role failed,
2 invalid configuration (nothing started), 130 a second Ctrl-C.
`),
  async action(options, [file]) {
    let prepared;
    try {
      prepared = await prepareRun(loadRunConfig(file!), file!);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`${colorsFor(process.stderr).red('ferrotrade:')} ${err.message}\n`);
      return EXIT.USAGE;
    }
    if (options.check) {
      if (options.json) printJson(prepared.config);
      else process.stdout.write(`${file}: ok (${Object.keys(prepared.config).join(', ')})\n`);
      return EXIT.OK;
    }

    // A second signal while stopping ends the process at once.
    let signalled: NodeJS.Signals | undefined;
    let wake: () => void = () => {};
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) process.exit(EXIT.INTERRUPTED);
      signalled = signal;
      log(`${signal}: stopping every role`);
      wake();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    let roles: RunningRole[];
    try {
      roles = await prepared.start(log);
    } catch (err) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      throw err;
    }
    log(`running: ${roles.map((r) => r.name).join(', ')}`);
    const first = await Promise.race([woken.then(() => undefined), ...roles.map((r) => r.ended.then((e) => ({ role: r.name, ...e })))]);
    if (first) log(`${first.role}: ${first.detail}`);
    // The live session first: the dashboard and notifier still see its last events.
    const order = [...roles.filter((r) => r.name === 'live'), ...roles.filter((r) => r.name !== 'live')];
    let failed = first ? !first.ok : false;
    for (const role of order) {
      try {
        await role.stop();
      } catch (err) {
        failed = true;
        log(`${role.name} did not stop cleanly: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const live = roles.find((r) => r.name === 'live');
    if (live && !first) {
      const result = await live.ended;
      log(result.detail);
      failed ||= !result.ok;
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    log('stopped');
    return failed ? EXIT.FAILED : EXIT.OK;
  },
});
