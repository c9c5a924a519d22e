/**
 * Text shared by the channels' formats: the notes a notification carries (repeats folded in,
 * drops before it), durations in words, per-level marks, escaping and length limits.
 */
import type { EventLevel } from '../events/index.js';
import type { Notification } from './types.js';

/** `300000` → `5 min`, `90000` → `1.5 min`, `4000` → `4 s`, `7200000` → `2 h`. */
export function formatDuration(ms: number): string {
  const round = (x: number) => String(Number(x.toFixed(1)));
  if (ms >= 3_600_000) return `${round(ms / 3_600_000)} h`;
  if (ms >= 60_000) return `${round(ms / 60_000)} min`;
  return `${round(ms / 1000)} s`;
}

/** The notes to add below the text: repeats and drops, in words. */
export function notes(n: Notification): string[] {
  const out: string[] = [];
  if (n.repeats) out.push(`×${n.repeats.count} in ${formatDuration(n.repeats.windowMs)}`);
  if (n.droppedBefore) {
    out.push(`${n.droppedBefore} earlier notification${n.droppedBefore === 1 ? ' was' : 's were'} dropped (queue full)`);
  }
  return out;
}

/** A mark per level for chat media. */
export const LEVEL_MARK: Record<EventLevel, string> = {
  DEBUG: '🔹',
  INFO: 'ℹ️',
  WARNING: '⚠️',
  ERROR: '❌',
  CRITICAL: '🚨',
};

/** The time as `2024-01-05 14:30:00 UTC`. */
export function formatTime(time: number): string {
  return Number.isFinite(time) ? `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')} UTC` : '';
}

/** The whole notification as plain text: `[LEVEL] title`, the text, fields, notes and time. */
export function plainText(n: Notification): string {
  const lines = [`[${n.level}] ${n.title}`];
  if (n.text !== n.title) lines.push(n.text);
  for (const [k, v] of n.fields) lines.push(`${k}: ${v}`);
  lines.push(...notes(n));
  const tail = [n.source, formatTime(n.time)].filter(Boolean).join(' · ');
  if (tail) lines.push(tail);
  return lines.join('\n');
}

/** Escapes `&`, `<`, `>` (HTML, Telegram's HTML mode, Slack's mrkdwn). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes the characters markdown reads as markup inside a line (emphasis, code, links); `#` and `>` only where they start a line. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]])/g, '\\$1').replace(/^([#>])/gm, '\\$1');
}

/** Cuts `text` to `max` characters (code points), ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Cuts `text` to `maxBytes` bytes of UTF-8, ending with `…` when cut. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const chars = Array.from(text);
  let bytes = 3; // the ellipsis
  let k = 0;
  while (k < chars.length && bytes + Buffer.byteLength(chars[k]!) <= maxBytes) bytes += Buffer.byteLength(chars[k++]!);
  return `${chars.slice(0, k).join('')}…`;
}
