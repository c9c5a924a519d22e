/**
 * @internal fixed-stride records in typed-array chunks. Full chunks never move, so growing to
 * millions of records copies nothing; the first chunk starts small and doubles up to full size,
 * so a run with a handful of records (most runs of a sweep) allocates a few hundred bytes, not
 * megabytes.
 */
export class ChunkedRecords<A extends Float64Array | Int32Array> {
  /** @internal */
  readonly chunks: A[] = [];
  private readonly mask: number;

  constructor(
    /** @internal */
    readonly make: (length: number) => A,
    /** Slots per record. */
    readonly stride: number,
    /** log2 of the records in a full chunk. */
    readonly bits: number,
  ) {
    this.mask = (1 << bits) - 1;
  }

  /** The chunk holding record `k` (an int), growing the storage to hold it. */
  reserve(k: number): A {
    const c = k >>> this.bits;
    // (Not `this.chunks[c] === undefined`: a read past the end makes compiled code start over.)
    if (c < this.chunks.length) {
      const chunk = this.chunks[c]!;
      if (((k & this.mask) + 1) * this.stride <= chunk.length) return chunk;
    }
    return grow(this, k);
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

/**
 * Adds or enlarges the chunk of record `k`. A function of the module, not a method: the
 * compiled code of `reserve` calls it without having seen it run (a new chunk is rare), which
 * a method's property lookup could not do without starting over.
 */
function grow<A extends Float64Array | Int32Array>(records: ChunkedRecords<A>, k: number): A {
  const { chunks, make, stride, bits } = records;
  const c = k >>> bits;
  if (c >= chunks.length) {
    chunks.push(make(c === 0 ? Math.min(64, 1 << bits) * stride : (1 << bits) * stride));
  }
  let chunk = chunks[c]!;
  const need = ((k & ((1 << bits) - 1)) + 1) * stride;
  if (need > chunk.length) {
    let length = chunk.length;
    while (length < need) length *= 2;
    const bigger = make(length);
    bigger.set(chunk);
    chunks[c] = chunk = bigger;
  }
  return chunk;
}
