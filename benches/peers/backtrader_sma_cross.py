"""backtrader peer for the SMA-crossover benchmark.

Runs the reference strategy on a BacktraderCSVData file and prints a single
JSON object on stdout: timings, final portfolio value and every closed trade,
so the ferrotrade side can compare both speed and results bar for bar.

Only ``cerebro.run()`` is timed. With ``preload=True`` that call parses the
CSV, computes the indicators and runs the broker, i.e. everything a user
waits for; interpreter start-up and imports are excluded on purpose because
they are a fixed cost unrelated to the number of bars.

Usage:
    python backtrader_sma_cross.py --csv bars.csv [--fast 15] [--slow 30]
        [--stake 10] [--cash 100000] [--commission 0.001] [--runs 3]
        [--load-runs 1]
"""

import argparse
import gc
import json
import platform
import statistics
import sys
import time

import backtrader as bt


class SmaCross(bt.Strategy):
    """Long-only SMA crossover: buy a fixed stake on a golden cross, close on a death cross."""

    params = (("fast", 15), ("slow", 30), ("stake", 10))

    def __init__(self):
        fast = bt.indicators.SMA(self.data.close, period=self.p.fast)
        slow = bt.indicators.SMA(self.data.close, period=self.p.slow)
        self.cross = bt.indicators.CrossOver(fast, slow)
        # The pending order, if any: no new decisions until it is resolved, so
        # a signal on the bar after a submission cannot stack a second order.
        self.order = None
        self.trades = []

    def notify_order(self, order):
        if order.status in (
            order.Completed,
            order.Canceled,
            order.Expired,
            order.Margin,
            order.Rejected,
        ):
            self.order = None

    def notify_trade(self, trade):
        if not trade.isclosed:
            return
        self.trades.append(
            {
                # backtrader counts bars from 1 (len(data) on the bar); the
                # comparison uses 0-based bar indices.
                "open_bar": trade.baropen - 1,
                "close_bar": len(self.data) - 1,
                "price": trade.price,
                "pnl": trade.pnl,
                "pnlcomm": trade.pnlcomm,
            }
        )

    def next(self):
        if self.order:
            return
        if not self.position and self.cross[0] > 0:
            self.order = self.buy(size=self.p.stake)
        elif self.position and self.cross[0] < 0:
            self.order = self.close()


def run_once(args):
    """Builds a fresh Cerebro, times run() and returns (seconds, bars, final value, trades)."""
    cerebro = bt.Cerebro(runonce=True, preload=True, stdstats=False)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=args.csv))
    cerebro.addstrategy(SmaCross, fast=args.fast, slow=args.slow, stake=args.stake)
    cerebro.broker.setcash(args.cash)
    cerebro.broker.setcommission(commission=args.commission)

    t0 = time.perf_counter()
    results = cerebro.run()
    elapsed = time.perf_counter() - t0
    strat = results[0]
    # Only plain values leave this function, so the previous run's lines
    # buffers are freed before the next run instead of inflating its heap.
    return elapsed, strat.data.buflen(), cerebro.broker.getvalue(), strat.trades


def load_once(path):
    """Times only the CSV parse + preload, exactly as Cerebro performs it, returning (seconds, bars)."""
    data = bt.feeds.BacktraderCSVData(dataname=path)
    # A feed needs its Cerebro environment (trading calendar, timezone) to
    # start; adddata() attaches it without running anything.
    bt.Cerebro().adddata(data)
    t0 = time.perf_counter()
    data._start()
    data.preload()
    elapsed = time.perf_counter() - t0
    bars = data.buflen()
    data.stop()
    return elapsed, bars


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", required=True, help="BacktraderCSVData file")
    parser.add_argument("--fast", type=int, default=15)
    parser.add_argument("--slow", type=int, default=30)
    parser.add_argument("--stake", type=int, default=10)
    parser.add_argument("--cash", type=float, default=100000.0)
    parser.add_argument("--commission", type=float, default=0.001)
    parser.add_argument("--runs", type=int, default=3, help="timed cerebro.run() calls")
    parser.add_argument(
        "--load-runs",
        type=int,
        default=1,
        help="timed parse-only passes (0 to skip); reported as load_s",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    runs_s = []
    first = None
    for _ in range(args.runs):
        # Collect the previous run's garbage outside the timed region so one
        # run does not pay for another's allocations.
        gc.collect()
        elapsed, bars, value, trades = run_once(args)
        runs_s.append(elapsed)
        if first is None:
            first = (bars, value, trades)
        elif (bars, value, trades) != first:
            # backtrader is deterministic; a mismatch means the input changed
            # under us, and the timings would not describe one workload.
            sys.exit("backtrader runs disagree: final value %r vs %r" % (value, first[1]))

    bars, final_value, trades = first
    median_s = statistics.median(runs_s)

    load_runs_s = []
    for _ in range(args.load_runs):
        gc.collect()
        elapsed, loaded = load_once(args.csv)
        load_runs_s.append(elapsed)
        if loaded != bars:
            sys.exit("parse-only pass saw %d bars, the strategy run %d" % (loaded, bars))

    out = {
        "bars": bars,
        "runs_s": runs_s,
        "median_s": median_s,
        "bars_per_s": bars / median_s if median_s > 0 else None,
        "load_runs_s": load_runs_s,
        "load_s": statistics.median(load_runs_s) if load_runs_s else None,
        "final_value": final_value,
        "trades": trades,
        "params": {
            "fast": args.fast,
            "slow": args.slow,
            "stake": args.stake,
            "cash": args.cash,
            "commission": args.commission,
        },
        "backtrader_version": bt.__version__,
        "python_version": platform.python_version(),
    }
    json.dump(out, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
