"""backtrader side of the resample bench.

Reads `ms,price,volume` ticks into memory (not timed), then times `cerebro.run()` with
`resampledata(timeframe=Minutes, compression=1)` over an in-memory feed. Prints one JSON line:
{"ticks", "runs_s", "median_s", "ticks_per_s", "bars", "sum_close", "sum_volume"}.
"""
import argparse
import datetime as dt
import gc
import json
import statistics
import time

import backtrader as bt

EPOCH = dt.datetime(1970, 1, 1)


class Ticks(bt.feed.DataBase):
    params = (('rows', None),)

    def start(self):
        super().start()
        self._i = 0

    def _load(self):
        rows = self.p.rows
        if self._i >= len(rows):
            return False
        ms, price, volume = rows[self._i]
        self.lines.datetime[0] = bt.date2num(EPOCH + dt.timedelta(milliseconds=ms))
        l = self.lines
        l.open[0] = l.high[0] = l.low[0] = l.close[0] = price
        l.volume[0] = volume
        l.openinterest[0] = 0.0
        self._i += 1
        return True


class Record(bt.Strategy):
    def __init__(self):
        self.bars = 0
        self.sum_close = 0.0
        self.sum_volume = 0.0

    def next(self):
        self.bars += 1
        self.sum_close += self.data.close[0]
        self.sum_volume += self.data.volume[0]


def run(rows):
    cerebro = bt.Cerebro(stdstats=False)
    data = Ticks(rows=rows, timeframe=bt.TimeFrame.Ticks)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Minutes, compression=1)
    cerebro.addstrategy(Record)
    return cerebro.run()[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--csv', required=True)
    ap.add_argument('--runs', type=int, default=3)
    a = ap.parse_args()
    with open(a.csv) as f:
        rows = [(float(x), float(y), float(z)) for x, y, z in (line.split(',') for line in f)]
    times = []
    strat = None
    for _ in range(a.runs):
        gc.collect()
        t0 = time.perf_counter()
        strat = run(rows)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(json.dumps({'ticks': len(rows), 'runs_s': times, 'median_s': med, 'ticks_per_s': len(rows) / med,
                      'bars': strat.bars, 'sum_close': strat.sum_close, 'sum_volume': strat.sum_volume}))


if __name__ == '__main__':
    main()
