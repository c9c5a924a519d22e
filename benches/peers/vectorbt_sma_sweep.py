"""vectorbt peer of benches/sweep-native.ts: the SMA-crossover sweep over a fast x slow grid.

Usage: vectorbt_sma_sweep.py CSV FASTS SLOWS SIZE CASH FEES RUNS
(FASTS and SLOWS comma-separated). Signals are shifted one bar and filled at the open, as
ferrotrade's Market orders fill at the next bar's open. Prints one JSON line: run times (the
first, untimed run compiles numba's kernels), and per combination the closed-trade count and
final value.
"""
import json
import sys
import time
from itertools import product

import numpy as np
import pandas as pd
import vectorbt as vbt


def main():
    path, fasts, slows, size, cash, fees, runs = sys.argv[1:8]
    fasts = [int(x) for x in fasts.split(',')]
    slows = [int(x) for x in slows.split(',')]
    size, cash, fees, runs = float(size), float(cash), float(fees), int(runs)
    df = pd.read_csv(path)
    close, open_ = df['Close'].astype(float), df['Open'].astype(float)
    combos = list(product(fasts, slows))

    def sweep():
        fast = vbt.MA.run(close, window=[f for f, _ in combos], short_name='fast')
        slow = vbt.MA.run(close, window=[s for _, s in combos], short_name='slow')
        entries = fast.ma_crossed_above(slow).vbt.fshift(1, fill_value=False)
        exits = fast.ma_crossed_below(slow).vbt.fshift(1, fill_value=False)
        pf = vbt.Portfolio.from_signals(close, entries.values, exits.values, price=open_.values[:, None],
                                        size=size, fees=fees, init_cash=cash, freq='1D')
        return pf.trades.closed.count().values, pf.final_value().values

    sweep()  # compiles numba's kernels
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        trades, final = sweep()
        times.append(time.perf_counter() - t0)
    print(json.dumps({
        'runs_s': times,
        'median_s': float(np.median(times)),
        'combos': [[f, s] for f, s in combos],
        'trades': [int(t) for t in trades],
        'final_value': [float(v) for v in final],
        'vectorbt_version': vbt.__version__,
        'python_version': sys.version.split()[0],
    }))


if __name__ == '__main__':
    main()
