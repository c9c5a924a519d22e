/**
 * @internal fixed-stride records in typed-array chunks. Full chunks never move, so growing to
 * millions of records copies nothing; the first chunk starts small and doubles up to full size,
 * so a run with a handful of records (most runs of a sweep) allocates a few hundred bytes, not
 * megabytes.
 */
export class ChunkedRecords<A extends Float64Array | Int32Array> {
  private readonly chunks: A[] = [];
  private readonly mask: number;

  constructor(
    private readonly make: (length: number) => A,
    /** Slots per record. */
    private readonly stride: number,
    /** log2 of the records in a full chunk. */
    private readonly bits: number,
  ) {
    this.mask = (1 << bits) - 1;
  }

  /** The chunk holding record `k` (an int), growing the storage to hold it. */
  reserve(k: number): A {
    const c = k >>> this.bits;
    const need = ((k & this.mask) + 1) * this.stride;
    // (Not `this.chunks[c] === undefined`: a read past the end makes compiled code start over.)
    let chunk: A;
    if (c < this.chunks.length) chunk = this.chunks[c]!;
    else {
      chunk = this.make(c === 0 ? Math.min(64, 1 << this.bits) * this.stride : (1 << this.bits) * this.stride);
      this.chunks.push(chunk);
    }
    if (need > chunk.length) {
      let length = chunk.length;
      while (length < need) length *= 2;
      const bigger = this.make(length);
      bigger.set(chunk);
      this.chunks[c] = chunk = bigger;
    }
    return chunk;
  }

  /** The chunk holding record `k` (which must exist). */
  chunk(k: number): A {
    return this.chunks[k >>> this.bits]!;
  }

  /** Where record `k` starts in its chunk. */
  offset(k: number): number {
    return (k & this.mask) * this.stride;
  }
}
