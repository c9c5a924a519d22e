/**
 * The dashboard's control token: from an environment variable or a file only the user can read,
 * never from the command line (which `ps` shows to every user).
 */
import { readFileSync, statSync } from 'node:fs';

import { ParamError } from '../../errors.js';

/** The environment variable read by default. */
export const TOKEN_ENV = 'FERROTRADE_DASHBOARD_TOKEN';

/**
 * The token in `file` (which must not be readable by group or others), else in the environment
 * variable `env`; undefined when neither is set.
 */
export function readToken(options: { file?: string; env?: string }): string | undefined {
  if (options.file !== undefined) {
    const mode = statSync(options.file).mode;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new ParamError(`${options.file} can be read by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 ${options.file}`);
    }
    const token = readFileSync(options.file, 'utf8').trim();
    if (!token) throw new ParamError(`${options.file} is empty; write the token into it (e.g. openssl rand -hex 24 > ${options.file})`);
    return token;
  }
  const value = process.env[options.env ?? TOKEN_ENV];
  return value === undefined || value === '' ? undefined : value;
}
