"""pyarrow peer of benches/columnar.ts: reads the bench's Arrow IPC and Parquet files.

Usage: pyarrow_read.py RUNS NAME=PATH [NAME=PATH ...]
A NAME starting with 'arrow' is read as an Arrow IPC file (pyarrow.ipc), any other as Parquet
(pyarrow.parquet.read_table). One read is what ferrotrade's feed does: the file read from disk
(not memory-mapped) into a table, then every column as a contiguous float64 NumPy array, the
timestamp as epoch milliseconds (floor-divided from its unit before the float conversion, so it
stays exact past 2^53 microseconds). Each file is read once untimed, then RUNS times timed, with
pyarrow's default thread pool and again on one thread.

Prints one JSON line: per file the run times, their medians, the rows, and per column the
sequential float64 sum of its values (np.cumsum, which adds in order as a JavaScript loop does,
so the bench can compare it exactly).
"""
import json
import statistics
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

COLUMNS = ('datetime', 'open', 'high', 'low', 'close', 'volume')
UNITS_PER_MS = {'ms': 1, 'us': 1000, 'ns': 1_000_000}


def read_table(kind, path, use_threads):
    if kind == 'arrow':
        with pa.OSFile(path, 'rb') as f:
            return ipc.open_file(f, options=ipc.IpcReadOptions(use_threads=use_threads)).read_all()
    return pq.read_table(path, use_threads=use_threads)


def float64_column(column):
    """A ChunkedArray as one contiguous float64 array (a view where pyarrow allows it)."""
    array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if pa.types.is_timestamp(array.type):
        ints = array.cast(pa.int64()).to_numpy(zero_copy_only=False)
        unit = array.type.unit
        if unit == 's':
            return (ints * 1000).astype(np.float64)
        div = UNITS_PER_MS[unit]
        return (ints if div == 1 else ints // div).astype(np.float64)
    values = array.to_numpy(zero_copy_only=False)
    if values.dtype != np.float64:
        values = values.astype(np.float64)
    return np.ascontiguousarray(values)


def read(kind, path, use_threads):
    table = read_table(kind, path, use_threads)
    return {name: float64_column(table.column(name)) for name in COLUMNS}


def timed(kind, path, use_threads, runs):
    read(kind, path, use_threads)  # warm-up: page cache, allocator, lazy imports
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        columns = read(kind, path, use_threads)
        times.append((time.perf_counter() - t0) * 1000)
    return times, columns


def main():
    runs = int(sys.argv[1])
    files = {}
    for arg in sys.argv[2:]:
        name, path = arg.split('=', 1)
        kind = 'arrow' if name.startswith('arrow') else 'parquet'
        times, columns = timed(kind, path, True, runs)
        times_1t, _ = timed(kind, path, False, runs)
        files[name] = {
            'runs_ms': times,
            'median_ms': statistics.median(times),
            'runs_ms_1thread': times_1t,
            'median_ms_1thread': statistics.median(times_1t),
            'rows': int(len(columns['close'])),
            'contiguous_float64': all(c.dtype == np.float64 and c.flags['C_CONTIGUOUS'] for c in columns.values()),
            'sums': {name: float(np.cumsum(c)[-1]) if len(c) else 0.0 for name, c in columns.items()},
        }
    print(json.dumps({
        'files': files,
        'threads': pa.cpu_count(),
        'pyarrow_version': pa.__version__,
        'numpy_version': np.__version__,
        'python_version': sys.version.split()[0],
    }))


if __name__ == '__main__':
    main()
