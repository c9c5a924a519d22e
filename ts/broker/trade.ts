import type { DataFeed } from '../feeds/datafeed.js';

/** Trade status as backtrader numbers it. */
export enum TradeStatus {
  Created = 0,
  Open = 1,
  Closed = 2,
}

/** A round trip in one data (and trade id): from flat to flat. Snapshots, as in backtrader. */
export interface Trade {
  ref: number;
  /** The data the trade is in (`result.datas[dataIndex]`). */
  data: DataFeed;
  /** Index of {@link Trade.data} among the run's datas. */
  dataIndex: number;
  tradeid: number;
  status: TradeStatus;
  /** Current size (0 once closed). */
  size: number;
  /** Average entry price. */
  price: number;
  value: number;
  /** Commission paid so far. */
  commission: number;
  /** Profit and loss of the closed part, before commission. */
  pnl: number;
  /** `pnl` minus commission. */
  pnlcomm: number;
  long: boolean;
  isOpen: boolean;
  isClosed: boolean;
  justOpened: boolean;
  /** 0-based bar index where the trade opened / closed (-1 while open). */
  openBar: number;
  closeBar: number;
  /** backtrader's 1-based `baropen` / `barclose` (`len(data)` at the fill; 0 while open). */
  baropen: number;
  barclose: number;
  /** Bars between open and close (or the current bar). */
  barlen: number;
  /** Times of the opening and closing bars (ms), NaN while open. */
  dtopen: number;
  dtclose: number;
}
