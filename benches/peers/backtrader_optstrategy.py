"""backtrader side of the sweep bench: optstrategy over an SMA-cross grid with maxcpus.

Prints one JSON line: {"bars", "combinations", "maxcpus", "seconds", "cpu_seconds",
"combos_per_s", "bar_evals_per_s"}. `cpu_seconds` is the CPU time of the run in this process
and its worker processes (reaped before it is read), comparable with the CPU time of a
ferrotrade sweep on a machine where wall times are not.
"""
import argparse
import json
import multiprocessing
import resource
import time

import backtrader as bt


class SmaCross(bt.Strategy):
    params = (("fast", 10), ("slow", 30))

    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.SMA(self.data.close, period=self.p.fast),
                                      bt.ind.SMA(self.data.close, period=self.p.slow))
        self.order = None

    def notify_order(self, order):
        if not order.alive():
            self.order = None

    def next(self):
        if self.order:
            return
        if not self.position and self.cross[0] > 0:
            self.order = self.buy(size=10)
        elif self.position and self.cross[0] < 0:
            self.order = self.close()

    def stop(self):
        self.final_value = self.broker.getvalue()


def cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--fast", required=True, help="comma-separated")
    ap.add_argument("--slow", required=True, help="comma-separated")
    ap.add_argument("--maxcpus", type=int, default=2)
    ap.add_argument("--cash", type=float, default=100000.0)
    a = ap.parse_args()
    fast = [int(x) for x in a.fast.split(",")]
    slow = [int(x) for x in a.slow.split(",")]
    cerebro = bt.Cerebro(runonce=True, preload=True, stdstats=False, maxcpus=a.maxcpus, optreturn=True)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=a.csv))
    cerebro.broker.setcash(a.cash)
    cerebro.optstrategy(SmaCross, fast=fast, slow=slow)
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    runs = cerebro.run()
    seconds = time.perf_counter() - t0
    # The pool's processes count once waited for: reap them (they end once the pool is closed).
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.01)
    cpu = cpu_seconds() - cpu0
    n = len(fast) * len(slow)
    bars = sum(1 for _ in open(a.csv)) - 1
    print(json.dumps({
        "bars": bars, "combinations": n, "maxcpus": a.maxcpus, "seconds": seconds, "cpu_seconds": cpu,
        "combos_per_s": n / seconds, "bar_evals_per_s": n * bars / seconds,
    }))


if __name__ == "__main__":
    main()
