/**
 * Twilio's Messages API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded
 * `To`, `From` (or `MessagingServiceSid`) and `Body`, with HTTP basic auth (Account SID and Auth
 * Token). Default limit: one message a second (a long code's sending rate).
 */
import { NotifyConfigError, NotifySendError } from '../../errors.js';
import { answerJson, post } from '../http.js';
import { resolveSecret } from '../secrets.js';
import type { Secret } from '../types.js';
import { checkUrl } from './base.js';
import type { SmsProvider } from './sms.js';

/** Options of {@link twilio}. */
export interface TwilioOptions {
  /** The account SID (`AC...`). */
  accountSid: Secret;
  /** The auth token (or an API key secret with `apiKeySid`). */
  authToken: Secret;
  /** An API key SID (`SK...`) to authenticate with instead of the account SID. */
  apiKeySid?: string;
  /** The sending number (E.164), or use `messagingServiceSid`. */
  from?: string;
  /** A Messaging Service (`MG...`) that picks the sender. */
  messagingServiceSid?: string;
  /** The API's address (default `https://api.twilio.com`). */
  apiUrl?: string;
}

/** Twilio as an SMS provider. */
export function twilio(options: TwilioOptions): SmsProvider {
  const sid = resolveSecret(options.accountSid, 'twilio: accountSid');
  const token = resolveSecret(options.authToken, 'twilio: authToken');
  if (!options.from && !options.messagingServiceSid) throw new NotifyConfigError('twilio: give from (a number in E.164 form) or messagingServiceSid');
  const api = checkUrl(options.apiUrl ?? 'https://api.twilio.com', 'twilio: apiUrl').replace(/\/+$/, '');
  const url = `${api}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${options.apiKeySid ?? sid}:${token}`).toString('base64')}`;
  return {
    name: 'twilio',
    secrets: [sid, token, auth.slice(6)],
    rateLimits: [{ limit: 1, perMs: 1000 }],
    async send({ to, text, channel }, signal) {
      const form: Record<string, string> = { To: to, Body: text };
      if (options.messagingServiceSid) form.MessagingServiceSid = options.messagingServiceSid;
      else form.From = options.from!;
      const answer = await post({ channel, url, form, headers: { authorization: auth, accept: 'application/json' }, signal });
      const json = answerJson<{ sid?: string; status?: string; error_code?: number | null; error_message?: string | null }>(channel, answer);
      if (json.status === 'failed' || json.status === 'undelivered') {
        throw new NotifySendError(`${channel}: Twilio could not send: ${json.error_code ?? ''} ${json.error_message ?? ''}`.trim(), channel, false, answer.status);
      }
      return { status: answer.status, id: json.sid };
    },
  };
}
