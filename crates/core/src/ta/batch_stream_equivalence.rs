//! Property: for every registered indicator, batch and streaming give the same numbers on
//! random series with NaN gaps (bit for bit; NaN where the other has NaN).

use super::registry::registry;
use proptest::prelude::*;

fn series_strategy() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![9 => (1.0f64..1000.0).prop_map(|x| (x * 100.0).round() / 100.0), 1 => Just(f64::NAN)],
        0..300,
    )
}

proptest! {
    #[test]
    fn batch_equals_streaming(a in series_strategy(), b_seed in series_strategy(), period in 1usize..40) {
        let n = a.len();
        let b: Vec<f64> = (0..n).map(|i| b_seed.get(i).copied().unwrap_or(500.0)).collect();
        for spec in registry() {
            let given: Vec<(&str, f64)> = spec.params.iter()
                .filter(|p| p.integer)
                .map(|p| (p.name, period as f64))
                .collect();
            let params = spec.params_from(given).unwrap();
            let inputs: Vec<&[f64]> = [&a[..], &b[..]].into_iter().take(spec.inputs.len()).collect();
            let mut outs: Vec<Vec<f64>> = vec![vec![0.0; n]; spec.lines.len()];
            {
                let mut views: Vec<&mut [f64]> = outs.iter_mut().map(|v| &mut v[..]).collect();
                spec.run_batch(&params, &inputs, &mut views).unwrap();
            }
            let mut stream = (spec.stream)(&params);
            let mut row_in = vec![0.0; inputs.len()];
            let mut row_out = vec![0.0; spec.lines.len()];
            for i in 0..n {
                for (k, col) in inputs.iter().enumerate() { row_in[k] = col[i]; }
                stream.update(&row_in, &mut row_out);
                for (j, line) in outs.iter().enumerate() {
                    let (x, y) = (line[i], row_out[j]);
                    prop_assert!(x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                        "{} line {} bar {}: batch {} stream {}", spec.name, spec.lines[j], i, x, y);
                }
            }
        }
    }
}
