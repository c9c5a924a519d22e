"""backtrader peer for the continuous-futures benchmark.

Joins the contracts' CSV files with ``cerebro.rolloverdata`` and a ``checkdate``
that allows the roll once the active contract is at most N days from its expiry
(``checkcondition`` left at its default: always), and records every bar the
strategy sees: date, close and the active contract. Prints one JSON object.

Usage:
    python backtrader_rollover.py --dir DIR --contracts SYM:YYYY-MM-DD,... --days N [--runs 3]
"""

import argparse
import datetime
import gc
import json
import os
import statistics
import time

import backtrader as bt


class Record(bt.Strategy):
    def __init__(self):
        self.rows = []

    def next(self):
        d = self.data
        self.rows.append((d.datetime.date(0).isoformat(), d.close[0], d._d._name))


def run_once(args, contracts):
    cerebro = bt.Cerebro(stdstats=False)
    datas = []
    for symbol, _ in contracts:
        data = bt.feeds.BacktraderCSVData(dataname=os.path.join(args.dir, symbol + ".csv"))
        data._name = symbol
        datas.append(data)
    expiry = dict(contracts)

    def checkdate(dt, d):
        return (expiry[d._name] - dt.date()).days <= args.days

    cerebro.rolloverdata(*datas, name="continuous", checkdate=checkdate)
    cerebro.addstrategy(Record)
    t0 = time.perf_counter()
    strat = cerebro.run()[0]
    return time.perf_counter() - t0, strat.rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--contracts", required=True, help="SYMBOL:YYYY-MM-DD,... in expiry order")
    parser.add_argument("--days", type=int, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    contracts = []
    for item in args.contracts.split(","):
        symbol, day = item.split(":")
        contracts.append((symbol, datetime.date.fromisoformat(day)))
    runs = []
    rows = None
    for _ in range(args.runs):
        gc.collect()
        elapsed, rows = run_once(args, contracts)
        runs.append(elapsed)
    print(json.dumps({
        "runs_s": runs,
        "median_s": statistics.median(runs),
        "bars": len(rows),
        "rows": rows,
        "backtrader_version": bt.__version__,
    }))


if __name__ == "__main__":
    main()
