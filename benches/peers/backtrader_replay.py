"""backtrader side of the replay bench.

Reads `ms,open,high,low,close,volume` minute rows into memory (not timed), then times building
a Cerebro and `cerebro.run()` with `replaydata(timeframe=Days, compression=1)` over an in-memory
feed (sessionend given). The strategy: SMA(period) over the replayed days and
CrossOver(close, sma); buys `stake` when the close so far crosses above, closes the position
when it crosses below, no new decision while an order is pending. Prints one JSON line:
{"rows", "runs_s", "median_s", "rows_per_s", "next_calls", "days", "final_value", "trades", ...}
with every closed trade as {"dtopen", "dtclose" (ms), "price", "pnl", "pnlcomm"}.
"""
import argparse
import datetime as dt
import gc
import json
import platform
import statistics
import sys
import time

import backtrader as bt

EPOCH = dt.datetime(1970, 1, 1)


class Minutes(bt.feed.DataBase):
    params = (('rows', None),)

    def start(self):
        super().start()
        self._i = 0

    def _load(self):
        rows = self.p.rows
        if self._i >= len(rows):
            return False
        ms, o, h, lo, c, v = rows[self._i]
        l = self.lines
        l.datetime[0] = bt.date2num(EPOCH + dt.timedelta(milliseconds=ms))
        l.open[0] = o
        l.high[0] = h
        l.low[0] = lo
        l.close[0] = c
        l.volume[0] = v
        l.openinterest[0] = 0.0
        self._i += 1
        return True


def to_ms(num):
    return round((bt.num2date(num) - EPOCH).total_seconds() * 1000)


class CloseCross(bt.Strategy):
    params = (('period', 20), ('stake', 1))

    def __init__(self):
        self.sma = bt.ind.SMA(self.data, period=self.p.period)
        self.cross = bt.ind.CrossOver(self.data.close, self.sma)
        self.order = None
        self.next_calls = 0
        self.trades = []

    def notify_order(self, order):
        if order.status in (order.Completed, order.Canceled, order.Expired, order.Margin, order.Rejected):
            self.order = None

    def notify_trade(self, trade):
        if trade.isclosed:
            self.trades.append({'dtopen': to_ms(trade.dtopen), 'dtclose': to_ms(trade.dtclose),
                                'price': trade.price, 'pnl': trade.pnl, 'pnlcomm': trade.pnlcomm})

    def next(self):
        self.next_calls += 1
        if self.order:
            return
        c = self.cross[0]
        if not self.position and c > 0:
            self.order = self.buy(size=self.p.stake)
        elif self.position and c < 0:
            self.order = self.close()


def run(rows, a, sessionend):
    cerebro = bt.Cerebro(stdstats=False)
    data = Minutes(rows=rows, timeframe=bt.TimeFrame.Minutes, compression=1, sessionend=sessionend)
    cerebro.replaydata(data, timeframe=bt.TimeFrame.Days, compression=1)
    cerebro.addstrategy(CloseCross, period=a.period, stake=a.stake)
    cerebro.broker.setcash(a.cash)
    cerebro.broker.setcommission(commission=a.commission)
    strat = cerebro.run()[0]
    # Plain values only, so one run's line buffers are freed before the next.
    return strat.next_calls, len(strat.data), cerebro.broker.getvalue(), strat.trades


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--csv', required=True)
    ap.add_argument('--period', type=int, default=20)
    ap.add_argument('--stake', type=float, default=1)
    ap.add_argument('--cash', type=float, default=100000.0)
    ap.add_argument('--commission', type=float, default=0.001)
    ap.add_argument('--sessionend', default='16:00')
    ap.add_argument('--runs', type=int, default=3)
    a = ap.parse_args()
    hh, mm = (int(x) for x in a.sessionend.split(':'))
    sessionend = dt.time(hh, mm)
    with open(a.csv) as f:
        rows = [tuple(float(x) for x in line.split(',')) for line in f]
    times = []
    first = None
    for _ in range(a.runs):
        gc.collect()
        t0 = time.perf_counter()
        out = run(rows, a, sessionend)
        times.append(time.perf_counter() - t0)
        if first is None:
            first = out
        elif out != first:
            sys.exit('backtrader runs disagree')
    next_calls, days, value, trades = first
    med = statistics.median(times)
    print(json.dumps({'rows': len(rows), 'runs_s': times, 'median_s': med, 'rows_per_s': len(rows) / med,
                      'next_calls': next_calls, 'days': days, 'final_value': value, 'trades': trades,
                      'backtrader_version': bt.__version__, 'python_version': platform.python_version()}))


if __name__ == '__main__':
    main()
