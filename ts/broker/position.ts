/**
 * A position in one data, read live from the broker's shared state: reading `size` or `price`
 * costs an array load, never a call into the broker.
 */
export class Position {
  /** @internal */
  private readonly state: Float64Array;
  /** @internal */
  private readonly at: number;

  /** @internal */
  constructor(state: Float64Array, at: number) {
    this.state = state;
    this.at = at;
  }

  /** Signed size: positive long, negative short, 0 flat. */
  get size(): number {
    return this.state[this.at]!;
  }

  /** Average entry price (0 when flat). */
  get price(): number {
    return this.state[this.at + 1]!;
  }
}
