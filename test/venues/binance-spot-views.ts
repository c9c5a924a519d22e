/**
 * The JSON shapes the local Binance spot server (./binance-spot-server.ts) answers with, as
 * Binance documents them: exchangeInfo, the account, the currencies ccxt loads, an order.
 */
import type { BinanceSymbolSpec, Order } from './binance-types.js';

/** An asset's balance. */
interface Balance {
  free: number;
  locked: number;
}

const fmt = (n: number) => n.toFixed(8);

/** `GET /api/v3/exchangeInfo`: the symbols with their filters. */
export function spotExchangeInfo(specs: Iterable<BinanceSymbolSpec>, now: number): unknown {
  return {
    timezone: 'UTC',
    serverTime: now,
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
    ],
    exchangeFilters: [],
    symbols: [...specs].map((s) => ({
      symbol: s.symbol, status: 'TRADING', baseAsset: s.baseAsset, baseAssetPrecision: 8, quoteAsset: s.quoteAsset, quotePrecision: 8,
      quoteAssetPrecision: 8, baseCommissionPrecision: 8, quoteCommissionPrecision: 8,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
      icebergAllowed: true, ocoAllowed: true, otoAllowed: true, quoteOrderQtyMarketAllowed: true, allowTrailingStop: true,
      cancelReplaceAllowed: true, isSpotTradingAllowed: true, isMarginTradingAllowed: false,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: s.tickSize, maxPrice: '1000000.00000000', tickSize: s.tickSize },
        { filterType: 'LOT_SIZE', minQty: s.minQty, maxQty: '9000.00000000', stepSize: s.stepSize },
        { filterType: 'NOTIONAL', minNotional: s.minNotional, applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
        { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
      ],
      permissions: [], permissionSets: [['SPOT']], defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
      allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
    })),
  };
}

/** `GET /api/v3/account`: the balances. */
export function spotAccount(balances: ReadonlyMap<string, Balance>, now: number): unknown {
  return {
    makerCommission: 0, takerCommission: 0, buyerCommission: 0, sellerCommission: 0,
    commissionRates: { maker: '0.00000000', taker: '0.00000000', buyer: '0.00000000', seller: '0.00000000' },
    canTrade: true, canWithdraw: true, canDeposit: true, brokered: false, requireSelfTradePrevention: false, preventSor: false,
    updateTime: now, accountType: 'SPOT',
    balances: [...balances].map(([asset, b]) => ({ asset, free: fmt(b.free), locked: fmt(b.locked) })),
    permissions: ['SPOT'], uid: 1,
  };
}

/** `GET /sapi/v1/capital/config/getall`: every asset of the symbols, as ccxt loads currencies. */
export function spotCurrencies(specs: Iterable<BinanceSymbolSpec>, balances: ReadonlyMap<string, Balance>): unknown {
  const assets = new Set([...specs].flatMap((s) => [s.baseAsset, s.quoteAsset]));
  return [...assets].map((coin) => ({
    coin, name: coin, depositAllEnable: true, withdrawAllEnable: true, free: fmt(balances.get(coin)?.free ?? 0), locked: fmt(balances.get(coin)?.locked ?? 0),
    freeze: '0', withdrawing: '0', ipoing: '0', ipoable: '0', storage: '0', isLegalMoney: false, trading: true,
    networkList: [{ network: coin, coin, withdrawIntegerMultiple: '0.00000001', isDefault: true, depositEnable: true, withdrawEnable: true, depositDesc: '', withdrawDesc: '', name: coin, resetAddressStatus: false, withdrawFee: '0', withdrawMin: '0', withdrawMax: '9999999999', minConfirm: 1, unLockConfirm: 0, sameAddress: false, estimatedArrivalTime: 1, busy: false }],
  }));
}

/** An order as the order endpoints answer it. */
export function spotOrderJson(o: Order): Record<string, unknown> {
  return {
    symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, price: fmt(o.price), origQty: fmt(o.origQty),
    executedQty: fmt(o.executedQty), cummulativeQuoteQty: fmt(o.quote), status: o.status, timeInForce: o.timeInForce, type: o.type,
    side: o.side, stopPrice: '0.00000000', icebergQty: '0.00000000', time: o.time, updateTime: o.updateTime, isWorking: true,
    workingTime: o.time, origQuoteOrderQty: '0.00000000', selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}
