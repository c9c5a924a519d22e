use super::*;
use proptest::prelude::*;

const DAY: f64 = 86_400_000.0;

/// Net profits of the trades closed in `events`.
fn closed_of(events: Vec<Event>) -> Vec<f64> {
    events.into_iter().filter_map(|e| match e {
        Event::Trade(t) if t.status == TradeStatus::Closed => Some(t.pnlcomm),
        _ => None,
    }).collect()
}

proptest! {
    /// A stream of Market orders, each filled at the next bar's open: filling them directly
    /// leaves cash, position and trade notifications exactly as submitting and stepping does,
    /// through reversals, Margin refusals by the cash test, openings refused at fill time
    /// (checksubmit off), bars without prices and repeated timestamps.
    #[test]
    fn direct_fills_equal_submit_and_step(
        sizes in prop::collection::vec(-30i32..30, 1..50),
        moves in prop::collection::vec(-0.08f64..0.08, 51),
        gaps in prop::collection::vec(0u8..12, 51),
        checksubmit in any::<bool>(),
        commission in 0.0f64..0.01,
    ) {
        let n = moves.len();
        let (mut dt, mut open, mut close) = (vec![], vec![], vec![]);
        let mut price = 100.0;
        let mut t = 0.0;
        for (m, g) in moves.iter().zip(&gaps) {
            // g == 0: no open price on this bar; g == 1: same timestamp as the bar before
            if *g != 1 { t += DAY; }
            dt.push(t);
            open.push(if *g == 0 { f64::NAN } else { price });
            price = (price * (1.0 + m)).max(1.0);
            close.push(price);
        }
        let volume = vec![1e6; n];
        let bars = [Bars { datetime: &dt, session_end: DAY - 1.0, open: &open, high: &close, low: &close, close: &close, volume: &volume, at: None, fresh: false }];
        let make = || {
            let mut b = Broker::new(BrokerConfig { cash: 2_000.0, checksubmit, ..BrokerConfig::default() }).unwrap();
            b.set_commission(CommissionInfo::new(commission, CommType::Percent, true, 1.0).unwrap(), None);
            b
        };
        let (mut stepped, mut direct) = (make(), make());
        prop_assert!(direct.direct_fills_exact(0));
        let mut waiting: Option<(f64, usize)> = None;
        for bar in 0..n {
            if waiting.is_some() || stepped.has_work() {
                stepped.next(bar, &bars);
            }
            let mut closed_directly = vec![];
            if let Some((size, created)) = waiting {
                match direct.fill_market_direct(DirectOrder::at(0, size, &bars[0], created), FillBar::of(&bars[0], bar)) {
                    DirectFill::NotYet => {}
                    DirectFill::Filled { closed } => {
                        closed_directly.extend(closed);
                        waiting = None;
                    }
                    DirectFill::Margin => waiting = None,
                }
            }
            prop_assert_eq!(stepped.has_work(), waiting.is_some(), "bar {}", bar);
            prop_assert_eq!(stepped.cash(), direct.cash(), "bar {}", bar);
            prop_assert_eq!(stepped.position(0), direct.position(0), "bar {}", bar);
            // Direct fills notify nothing; what they report is what the broker notified.
            prop_assert!(direct.take_events().is_empty());
            prop_assert_eq!(closed_of(stepped.take_events()), closed_directly, "bar {}", bar);
            prop_assert_eq!(stepped.open_trades(), direct.open_trades(), "bar {}", bar);
            if waiting.is_none() {
                if let Some(&s) = sizes.get(bar) {
                    if s != 0 {
                        stepped.submit(OrderRequest::market(0, 0, s as f64, bar, close[bar]), &bars).unwrap();
                        waiting = Some((s as f64, bar));
                    }
                }
            }
        }
        prop_assert_eq!(stepped.value(&[close[n - 1]]), direct.value(&[close[n - 1]]));
    }
}

#[test]
fn settings_that_act_on_a_step_turn_direct_fills_off() {
    let plain = Broker::new(BrokerConfig::default()).unwrap();
    assert!(plain.direct_fills_exact(0));
    for config in [
        BrokerConfig { coc: true, ..BrokerConfig::default() },
        BrokerConfig { coo: true, ..BrokerConfig::default() },
        BrokerConfig { fundmode: true, ..BrokerConfig::default() },
        BrokerConfig { filler: Some(Filler::FixedSize { size: 1.0 }), ..BrokerConfig::default() },
        BrokerConfig { slippage: Slippage { perc: 0.01, slip_open: true, ..Slippage::default() }, ..BrokerConfig::default() },
    ] {
        assert!(!Broker::new(config).unwrap().direct_fills_exact(0), "{config:?}");
    }
    let mut futures = Broker::new(BrokerConfig::default()).unwrap();
    futures.set_commission(CommissionInfo::from_spec(CommissionSpec { margin: Some(1000.0), mult: 10.0, ..CommissionSpec::default() }).unwrap(), None);
    assert!(!futures.direct_fills_exact(0));
    let mut with_order = Broker::new(BrokerConfig::default()).unwrap();
    let flat = [100.0; 4];
    let dt = [0.0, DAY, 2.0 * DAY, 3.0 * DAY];
    let bars = [Bars { datetime: &dt, session_end: 0.0, open: &flat, high: &flat, low: &flat, close: &flat, volume: &flat, at: None, fresh: false }];
    with_order.submit(OrderRequest { exectype: ExecType::Limit, ..OrderRequest::market(0, 0, 1.0, 0, 50.0) }, &bars).unwrap();
    assert!(!with_order.direct_fills_exact(0));
}
