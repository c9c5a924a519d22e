use super::*;
use crate::error::CoreError;

const HEADER: &str = "datetime,bid_price_1,bid_volume_1,bid_price_2,bid_volume_2,ask_price_1,ask_volume_1,ask_price_2,ask_volume_2,last,last_volume\n";

fn read(body: &str) -> CoreResult<Level2Columns> {
    read_level2_bytes("t.csv", format!("{HEADER}{body}").as_bytes(), b',', false)
}

#[test]
fn reads_levels_trades_and_derives_flags_sides_and_mid() {
    let c = read(concat!(
        "2024-01-02T09:30:00.000,99.9,5,99.8,7,100.1,4,100.2,9,,0\n",
        "1704187800100,99.9,5,99.8,7,100.1,4,100.2,9,100.1,2\n",
        "2024-01-02T09:30:00.200,99.9,5,99.8,6,100.1,2,100.2,9,99.9,3\n",
        "2024-01-02T09:30:00.300,99.9,5,99.8,6,100.1,2,,,,0\n",
    ))
    .unwrap();
    assert_eq!(c.depth(), 2);
    assert_eq!(c.datetime.len(), 4);
    assert_eq!(c.datetime[1] - c.datetime[0], 100.0);
    assert!(c.ask_price[1][3].is_nan());
    let d = check_level2("t", &c.view()).unwrap();
    assert_eq!(d.flags, vec![FLAG_QUOTE | FLAG_BOOK, FLAG_TRADE, FLAG_TRADE | FLAG_QUOTE | FLAG_BOOK, FLAG_BOOK]);
    assert_eq!(d.side, vec![0.0, 1.0, -1.0, 0.0]);
    assert_eq!(d.mid[0], 100.0);
}

#[test]
fn bad_rows_name_line_and_column() {
    let cases = [
        ("2024-01-02,100.2,5,99.8,7,100.1,4,100.2,9,,0\n", "ask_price_1", "crossed"),
        ("2024-01-02,99.9,-5,99.8,7,100.1,4,100.2,9,,0\n", "bid_volume_1", "volume"),
        ("2024-01-02,99.9,5,99.95,7,100.1,4,100.2,9,,0\n", "bid_price_2", "descending"),
        ("2024-01-02,99.9,5,99.8,7,100.1,4,100.2,9,abc,1\n", "last", "not a number"),
        ("2024-01-02,99.9,5,,7,100.1,4,100.2,9,,0\n", "bid_volume_2", "without a price"),
        ("2024-13-02,99.9,5,99.8,7,100.1,4,100.2,9,,0\n", "datetime", "not a time"),
    ];
    for (row, column, text) in cases {
        match read(row) {
            Err(CoreError::Parse { line, column_name, message, .. }) => {
                assert_eq!(line, 2, "{row}");
                assert_eq!(column_name, column, "{row}");
                assert!(message.contains(text), "{message}");
            }
            other => panic!("{row}: {other:?}"),
        }
    }
    let back = read("2024-01-02T10:00:00,99.9,5,99.8,7,100.1,4,100.2,9,,0\n2024-01-02T09:00:00,99.9,5,99.8,7,100.1,4,100.2,9,,0\n");
    assert!(matches!(back, Err(CoreError::TimeBackwards { ref location, .. }) if location == "line 3"));
    let skipped = read_level2_bytes("t", format!("{HEADER}x,1,1,,,2,1,,,,0\n2024-01-02,1,1,,,2,1,,,,0\n").as_bytes(), b',', true).unwrap();
    assert_eq!((skipped.skipped, skipped.datetime.len()), (1, 1));
}

#[test]
fn in_memory_columns_are_checked() {
    let mut c = read("2024-01-02,99.9,5,99.8,7,100.1,4,100.2,9,,0\n2024-01-02,99.9,5,99.8,7,100.1,4,100.2,9,,0\n").unwrap();
    c.bid_price[0][1] = 100.5;
    let err = check_level2("mem", &c.view()).unwrap_err();
    assert!(err.to_string().contains("row 1, column ask_price_1: crossed"), "{err}");
    c.bid_price[0][1] = 99.9;
    c.side = vec![0.0, -1.0];
    c.last = vec![f64::NAN, 100.1];
    c.last_volume = vec![0.0, 1.0];
    assert_eq!(check_level2("mem", &c.view()).unwrap().side, vec![0.0, -1.0]);
}
