"""nautilus_trader peer of the live_paper bench: the same quote stream through its BacktestEngine
(its fastest path) with a trivial strategy: count quotes, a market order every `every` quotes.

argv: <quotes csv: ts_ms,bid,ask,bid_size,ask_size> <runs> <every>
Prints JSON: quotes, runs_s, seconds (median), quotes_per_s, orders, version.
"""
import json
import statistics
import sys
import time
from decimal import Decimal

import nautilus_trader
from nautilus_trader.backtest.engine import BacktestEngine, BacktestEngineConfig
from nautilus_trader.config import LoggingConfig, StrategyConfig
from nautilus_trader.model.currencies import USD
from nautilus_trader.model.data import QuoteTick
from nautilus_trader.model.enums import AccountType, OmsType, OrderSide
from nautilus_trader.model.identifiers import InstrumentId, Venue
from nautilus_trader.model.objects import Money, Price, Quantity
from nautilus_trader.test_kit.providers import TestInstrumentProvider
from nautilus_trader.trading.strategy import Strategy


class CountConfig(StrategyConfig, frozen=True):
    instrument_id: str
    every: int


class Count(Strategy):
    def __init__(self, config):
        super().__init__(config)
        self.quotes = 0
        self.orders = 0

    def on_start(self):
        self.iid = InstrumentId.from_str(self.config.instrument_id)
        self.subscribe_quote_ticks(self.iid)

    def on_quote_tick(self, tick):
        self.quotes += 1
        if self.quotes % self.config.every == 0:
            order = self.order_factory.market(self.iid, OrderSide.BUY, Quantity.from_int(1))
            self.submit_order(order)
            self.orders += 1


def main():
    path, runs, every = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    instrument = TestInstrumentProvider.default_fx_ccy("EUR/USD")
    rows = []
    with open(path) as f:
        for line in f:
            t, b, a, bs, as_ = line.split(",")
            rows.append((int(t), float(b), float(a), float(bs), float(as_)))
    ticks = [
        QuoteTick(instrument.id, Price(b, 5), Price(a, 5), Quantity(bs, 0), Quantity(as_, 0), t * 1_000_000, t * 1_000_000)
        for (t, b, a, bs, as_) in rows
    ]
    times = []
    orders = 0
    for r in range(runs + 1):
        engine = BacktestEngine(config=BacktestEngineConfig(logging=LoggingConfig(bypass_logging=True)))
        engine.add_venue(venue=Venue("SIM"), oms_type=OmsType.NETTING, account_type=AccountType.MARGIN, base_currency=USD,
                         starting_balances=[Money(1_000_000_000, USD)])
        engine.add_instrument(instrument)
        engine.add_data(ticks)
        strat = Count(CountConfig(instrument_id=str(instrument.id), every=every))
        engine.add_strategy(strat)
        t0 = time.perf_counter()
        engine.run()
        dt = time.perf_counter() - t0
        orders = strat.orders
        quotes = strat.quotes
        engine.dispose()
        if r > 0:
            times.append(dt)
    med = statistics.median(times)
    print(json.dumps({"quotes": quotes, "runs_s": times, "seconds": med, "quotes_per_s": len(ticks) / med, "orders": orders,
                      "version": nautilus_trader.__version__}))


if __name__ == "__main__":
    main()
