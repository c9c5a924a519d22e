/**
 * The JavaScript decode the columnar feeds used before the Rust reader, kept as the bench's
 * second peer: apache-arrow (`tableFromIPC`) for Arrow IPC, parquet-wasm (`readParquet`, one
 * record batch) for Parquet, then each column to a Float64Array (Timestamp to epoch
 * milliseconds, Int64 without a BigInt per value) and the same native column check. It reads the
 * types the bench writes (Timestamp, Float64, Int64), not every type the feeds accept.
 */
import { tableFromIPC, type Table, type Vector } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';

import { native } from '../../ts/native.js';

const TWO32 = 4_294_967_296;
const UNIT_DIVISOR = [1 / 1000, 1, 1000, 1_000_000]; // second, ms, µs, ns

function int64Column(vector: Vector, divisor: number): Float64Array {
  const out = new Float64Array(vector.length);
  let at = 0;
  for (const chunk of vector.data) {
    const v = chunk.values as BigInt64Array;
    const words = new Int32Array(v.buffer, v.byteOffset, chunk.length * 2);
    for (let i = 0; i < chunk.length; i++) {
      const x = words[2 * i + 1]! * TWO32 + (words[2 * i]! >>> 0);
      out[at + i] = divisor === 1 ? x : Math.floor(x / divisor);
    }
    at += chunk.length;
  }
  return out;
}

function floatColumn(vector: Vector): Float64Array {
  if (vector.data.length === 1) return vector.data[0]!.values as Float64Array;
  const out = new Float64Array(vector.length);
  let at = 0;
  for (const chunk of vector.data) {
    out.set(chunk.values as Float64Array, at);
    at += chunk.length;
  }
  return out;
}

function toColumns(table: Table): Record<string, Float64Array> {
  const cols: Record<string, Float64Array> = {};
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    const type = vector.type as { typeId: number; unit?: number };
    // Timestamp (typeId 10) by its unit; Int (2) as Int64; Float (3) as is.
    cols[field.name] = type.typeId === 10 ? int64Column(vector, UNIT_DIVISOR[type.unit!]!) : type.typeId === 2 ? int64Column(vector, 1) : floatColumn(vector);
  }
  const n = table.numRows;
  const zeros = new Float64Array(n);
  native.validateColumns('bench', cols.datetime!, cols.open!, cols.high!, cols.low!, cols.close!, cols.volume ?? zeros, zeros, true);
  return cols;
}

/** Decodes an Arrow IPC file the old way. */
export function readArrowJs(bytes: Uint8Array): Record<string, Float64Array> {
  return toColumns(tableFromIPC(bytes));
}

/** Decodes a Parquet file the old way. */
export function readParquetJs(bytes: Uint8Array): Record<string, Float64Array> {
  return toColumns(tableFromIPC(readParquet(bytes, { batchSize: 2 ** 30 }).intoIPCStream()));
}
