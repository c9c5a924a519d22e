/** How a venue's answer of the wrong shape is shown in logs and errors. */

/** `value` as JSON, cut to `max` characters (its string form when it is not JSON-serializable). */
export function shownAnswer(value: unknown, max = 200): string {
  try {
    return JSON.stringify(value)?.slice(0, max) ?? String(value);
  } catch {
    return String(value);
  }
}
