"""backtrader side of the order-every-bar bench.

Alternates a Market buy and sell of one unit on every bar (an order per bar, a fill per bar) and
prints one JSON line: {"bars", "runs_s", "median_s", "bars_per_s", "orders", "closed_trades",
"final_value"}.
"""
import argparse
import gc
import json
import statistics
import time

import backtrader as bt


class EveryBar(bt.Strategy):
    def __init__(self):
        self.closed = 0

    def notify_trade(self, trade):
        if trade.isclosed:
            self.closed += 1

    def next(self):
        if self.position.size > 0:
            self.sell(size=1)
        else:
            self.buy(size=1)


def run_once(csv, cash):
    cerebro = bt.Cerebro(runonce=True, preload=True, stdstats=False)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=csv))
    cerebro.broker.setcash(cash)
    cerebro.addstrategy(EveryBar)
    gc.collect()
    t0 = time.perf_counter()
    strat = cerebro.run()[0]
    elapsed = time.perf_counter() - t0
    return elapsed, strat, cerebro.broker.getvalue()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--cash", type=float, default=1e9)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    times = []
    for _ in range(a.runs):
        elapsed, strat, value = run_once(a.csv, a.cash)
        times.append(elapsed)
    bars = len(strat.data)
    med = statistics.median(times)
    print(json.dumps({
        "bars": bars, "runs_s": times, "median_s": med, "bars_per_s": bars / med,
        "orders": len(strat.broker.orders), "closed_trades": strat.closed, "final_value": value,
    }))


if __name__ == "__main__":
    main()
