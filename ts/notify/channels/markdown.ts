/** Standard markdown, as DingTalk's and WeCom's robots render it. */
import { escapeMarkdown, formatTime, LEVEL_MARK, notes } from '../format.js';
import type { Notification } from '../types.js';

/** A heading with the title, the text as a quote, fields as a list, notes and time in small print. */
export function markdownText(n: Notification, options: { heading?: string; quote?: boolean } = {}): string {
  const heading = options.heading ?? '####';
  const out = [`${heading} ${LEVEL_MARK[n.level]} ${escapeMarkdown(n.title)}`, ''];
  if (n.text !== n.title) out.push(`${options.quote === false ? '' : '> '}${escapeMarkdown(n.text)}`, '');
  for (const [k, v] of n.fields) out.push(`- **${escapeMarkdown(k)}**: ${escapeMarkdown(v)}`);
  if (n.fields.length) out.push('');
  for (const note of notes(n)) out.push(`*${escapeMarkdown(note)}*`, '');
  const tail = [n.source, formatTime(n.time)].filter(Boolean).join(' · ');
  if (tail) out.push(escapeMarkdown(tail));
  return out.join('\n').trimEnd();
}
