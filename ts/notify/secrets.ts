/**
 * Secrets: resolved from the environment or the config, and scrubbed from every line the
 * notifier logs and every error it reports.
 */
import { NotifyConfigError } from '../errors.js';
import type { Secret } from './types.js';

/**
 * The value of a secret: the string itself, or the environment variable `{ env: NAME }` names.
 * @throws NotifyConfigError when it is missing or empty (naming the variable, never a value).
 */
export function resolveSecret(secret: Secret | undefined, what: string, env: NodeJS.ProcessEnv = process.env): string {
  if (secret === undefined || secret === null) throw new NotifyConfigError(`${what} is required (a string, or { env: 'VARIABLE' })`);
  if (typeof secret === 'string') {
    if (secret === '') throw new NotifyConfigError(`${what} is empty`);
    return secret;
  }
  if (typeof secret !== 'object' || typeof secret.env !== 'string') {
    throw new NotifyConfigError(`${what} must be a string or { env: 'VARIABLE' }`);
  }
  const value = env[secret.env];
  if (value === undefined || value === '') {
    throw new NotifyConfigError(`${what}: the environment variable ${secret.env} is not set`);
  }
  return value;
}

/** Like {@link resolveSecret}, for a secret that may be left out. */
export function optionalSecret(secret: Secret | undefined, what: string, env?: NodeJS.ProcessEnv): string | undefined {
  return secret === undefined ? undefined : resolveSecret(secret, what, env);
}

/** Replaces every known secret (also URL- and base64-encoded) in a text by `***`. */
export class Redactor {
  private forms: string[] = [];

  /** Adds secrets; strings shorter than 4 characters are not treated as secrets (they would blank out ordinary text). */
  add(secrets: readonly string[]): void {
    for (const s of secrets) {
      if (typeof s !== 'string' || s.length < 4) continue;
      for (const form of [s, encodeURIComponent(s), encodeURI(s), Buffer.from(s).toString('base64')]) {
        if (!this.forms.includes(form)) this.forms.push(form);
      }
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.forms.sort((a, b) => b.length - a.length);
  }

  /** The text with the secrets replaced. */
  scrub(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join('***');
    return out;
  }
}
