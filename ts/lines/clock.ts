/**
 * The cursor every line reads through: the index of the current bar. The engine advances it;
 * lines never copy it, so moving to the next bar is one store.
 * @internal
 */
export interface Cursor {
  /** Index of the current bar in the columns. */
  i: number;
}
