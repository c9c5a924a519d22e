"""hftbacktest side of the orderbook bench: the order-book-imbalance rule of benches/orderbook.ts.

Usage: hftbacktest_imbalance.py EVENTS.npy TICKS RUNS

EVENTS.npy holds the bench's synthetic Level2 stream as hftbacktest events (written by
benches/lib/hft-events.ts); TICKS is the stream's tick count. The strategy steps the clock tick
by tick (`elapse` to each distinct event time, so every event of the tick is applied before it
decides; ticks where nothing changed have no event and are not visited), and when the best bid or ask
(price or size) changed since the previous tick it computes the imbalance over 5 levels,
(bid - ask) / (bid + ask) (the generator's levels are consecutive ticks, so 5 ticks from the
best on each side are the 5 levels), and sends a market buy of 5 when flat and imbalance > 0.6,
a market sell of 5 when long and imbalance < -0.6. Zero order latency, no fees, the
no-partial-fill exchange model (a market order fills whole at the best price, with no walk
through the levels). The first run compiles the numba strategy and is not timed; each timed run
builds a fresh backtest from the array (counted) and replays the whole stream. Prints one JSON
line.
"""
import json
import sys
import time

import numpy as np
from numba import njit

import hftbacktest
from hftbacktest import BacktestAsset, HashMapMarketDepthBacktest
from hftbacktest.order import GTC, MARKET

LEVELS = 5


@njit(cache=False)
def imbalance_strategy(hbt, ticks_ns):
    """Returns (quotes seen, orders sent, final position)."""
    depth = hbt.depth(0)
    tick_size = depth.tick_size
    quotes = 0
    orders = 0
    order_id = 1
    pbb = np.nan
    pba = np.nan
    pbq = np.nan
    paq = np.nan
    for i in range(len(ticks_ns)):
        # Before the first event the clock reads i64::MAX; elapse(0) then applies the first
        # timestamp's events.
        now = hbt.current_timestamp
        wait = 0 if i == 0 else ticks_ns[i] - now
        # 1: the last events were applied and the data ends; this tick is still decided on.
        status = hbt.elapse(wait)
        if status != 0 and status != 1:
            break
        depth = hbt.depth(0)
        bb = depth.best_bid_tick
        ba = depth.best_ask_tick
        bq = depth.best_bid_qty
        aq = depth.best_ask_qty
        if bb == pbb and ba == pba and bq == pbq and aq == paq:
            continue
        pbb = bb
        pba = ba
        pbq = bq
        paq = aq
        quotes += 1
        bid = 0.0
        ask = 0.0
        for k in range(LEVELS):
            bid += depth.bid_qty_at_tick(bb - k)
            ask += depth.ask_qty_at_tick(ba + k)
        if bid + ask <= 0:
            continue
        imb = (bid - ask) / (bid + ask)
        pos = hbt.position(0)
        sent = False
        if pos == 0 and imb > 0.6:
            hbt.submit_buy_order(0, order_id, ba * tick_size, 5.0, GTC, MARKET, False)
            sent = True
        elif pos > 0 and imb < -0.6:
            hbt.submit_sell_order(0, order_id, bb * tick_size, 5.0, GTC, MARKET, False)
            sent = True
        if sent:
            order_id += 1
            orders += 1
            if orders % 64 == 0:
                hbt.clear_inactive_orders(0)
        if status == 1:
            break
    return quotes, orders, hbt.position(0)


def build(events):
    asset = (
        BacktestAsset()
        .data(events)
        .linear_asset(1.0)
        .constant_order_latency(0, 0)
        .risk_adverse_queue_model()
        .no_partial_fill_exchange()
        .trading_value_fee_model(0.0, 0.0)
        .tick_size(0.01)
        .lot_size(1.0)
    )
    return HashMapMarketDepthBacktest([asset])


def main():
    path, ticks, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    events = np.load(path)
    # The strategy steps through every distinct event time. A tick where nothing changed (no
    # trade, no level resized) has no event, and no quote change to react to on either side.
    ticks_ns = np.unique(events["local_ts"]).astype(np.int64)
    if len(ticks_ns) > ticks:
        raise SystemExit(f"{path}: {len(ticks_ns)} distinct event times, more than {ticks} ticks")

    # Warm-up: compiles the strategy (numba) on a short slice.
    warm_n = min(1000, len(ticks_ns))
    hbt = build(events[events["local_ts"] <= ticks_ns[warm_n - 1]].copy())
    imbalance_strategy(hbt, ticks_ns[:warm_n])
    hbt.close()

    runs_s = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        hbt = build(events)
        result = imbalance_strategy(hbt, ticks_ns)
        runs_s.append(time.perf_counter() - t0)
        hbt.close()
    seconds = float(np.median(runs_s))
    quotes, orders, position = result
    print(json.dumps({
        "events": int(len(events)),
        "ticks": ticks,
        "steps": int(len(ticks_ns)),
        "seconds": seconds,
        "runs_s": runs_s,
        "ticks_per_s": round(ticks / seconds),
        "events_per_s": round(len(events) / seconds),
        "quotes": int(quotes),
        "orders": int(orders),
        "final_position": float(position),
        "version": hftbacktest.__version__,
    }))


if __name__ == "__main__":
    main()
