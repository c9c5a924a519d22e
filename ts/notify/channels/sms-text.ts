/**
 * SMS text that fits the segments it is allowed: GSM-7 messages hold 160 characters in one
 * segment (153 each when split), anything outside GSM-7 (an emoji, Chinese) makes the whole
 * message UCS-2, 70 characters (67 when split).
 */
import { notes } from '../format.js';
import type { Notification } from '../types.js';

const GSM_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

/** Whether `text` can be sent in GSM-7. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM_BASIC.includes(ch) && !GSM_EXTENDED.includes(ch)) return false;
  return true;
}

/** Length in GSM-7 septets (extended characters take two). */
function septets(text: string): number {
  let n = 0;
  for (const ch of text) n += GSM_EXTENDED.includes(ch) ? 2 : 1;
  return n;
}

/** Segments `text` takes. */
export function smsSegments(text: string): number {
  if (isGsm7(text)) {
    const n = septets(text);
    return n <= 160 ? 1 : Math.ceil(n / 153);
  }
  const n = Array.from(text).reduce((k, ch) => k + (ch.length === 2 ? 2 : 1), 0); // UTF-16 code units
  return n <= 70 ? 1 : Math.ceil(n / 67);
}

/** Cuts `text` so it fits in `maxSegments`, ending with `...` (GSM-7) or `…` when cut. */
export function fitSms(text: string, maxSegments: number): string {
  if (smsSegments(text) <= maxSegments) return text;
  const gsm = isGsm7(text);
  const ellipsis = gsm ? '...' : '…';
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  // The longest prefix that fits with the ellipsis.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (smsSegments(chars.slice(0, mid).join('') + ellipsis) <= maxSegments) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('').trimEnd() + ellipsis;
}

/** The notification as a terse SMS: `LEVEL title: text`, notes, cut to `maxSegments`. */
export function smsText(n: Notification, maxSegments = 1): string {
  const parts = [`${n.level} ${n.title}`];
  if (n.text !== n.title) parts[0] += `: ${n.text}`;
  parts.push(...notes(n));
  return fitSms(parts.join('. '), maxSegments);
}
