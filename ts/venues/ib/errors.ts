/**
 * IB's error codes, sorted into what the adapter does with them. TWS reports everything through
 * one `error(id, code, text)` message: order refusals, cancel confirmations, pacing, the state of
 * its own connection to IB, and plain information ("market data farm connection is OK").
 */

/** Pacing: 162 (historical data pacing violation), 420 (invalid real-time query / pacing), 100 (max messages per second). */
export const PACING_CODES = new Set([100, 162, 420]);

/** TWS lost its connection to IB (1100); restored with data lost (1101: resubscribe) or kept (1102). */
export const CONNECTIVITY_LOST = 1100;
export const RESTORED_DATA_LOST = 1101;
export const RESTORED_DATA_KEPT = 1102;

/** Order cancelled (the confirmation of a cancel, or TWS cancelling it). */
export const ORDER_CANCELLED = 202;

/** A cancel of an order TWS does not know (10147) or that cannot be cancelled any more (10148, 161). */
export const CANCEL_FAILED = new Set([10147, 10148, 161]);

/** Errors of the client library about a message it could not read (505 unknown id / underrun, 507 bad length, 508 bad message). */
export const MALFORMED_CODES = new Set([505, 507, 508]);

/** Client id already in use (326): connecting again with the same id cannot work. */
export const CLIENT_ID_IN_USE = 326;

/** Informational codes (data farm status, API client version notices): logged, nothing to do. */
export function isInformational(code: number): boolean {
  return (code >= 2100 && code <= 2170) || code === 10167 || code === 2000;
}

/** Codes that refuse an order: 103 duplicate id, 104 cannot modify, 110 bad price increment, 200 no contract, 201 rejected, 203 not allowed, 387 unsupported type, 10000+ order attribute errors. */
export function isOrderRefusal(code: number): boolean {
  return code === 103 || code === 104 || code === 105 || code === 110 || code === 200 || code === 201 || code === 203 || code === 321 || code === 387 || code === 399 || (code >= 10000 && code < 10400 && !CANCEL_FAILED.has(code) && code !== 10167);
}

/** A refusal for lack of money: IB's margin and buying-power texts. */
export function isMarginText(text: string): boolean {
  return /margin|equity with loan|buying power|insufficient|available funds/i.test(text);
}
