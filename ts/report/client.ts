/**
 * @internal the script of the report page: draws the model (JSON in `#report-data`) with
 * lightweight-charts (inlined before it). It publishes `window.ferrotradeReport` = `{ charts,
 * equity, markers, ready }` so that tests and users can reach the charts.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  var M = JSON.parse(document.getElementById('report-data').textContent);
  var LW = window.LightweightCharts;
  var COLORS = ['#0969da', '#bf8700', '#8250df', '#1a7f37', '#cf222e', '#57606a', '#e16f24', '#1b7c83'];
  var out = { charts: [], markers: {}, equity: null, rolling: null, benchmark: null, levels: 0, ready: false };
  function line(t, values) {
    var data = [];
    for (var i = 0; i < t.length; i++) data.push(values[i] === null || values[i] === undefined ? { time: t[i] } : { time: t[i], value: values[i] });
    return data;
  }
  function base(el, height) {
    return LW.createChart(el, {
      width: el.clientWidth || 1000,
      height: height,
      layout: { background: { type: 'solid', color: '#ffffff' }, textColor: '#24292f', attributionLogo: false },
      grid: { vertLines: { color: '#f0f0f0' }, horzLines: { color: '#f0f0f0' } },
      // The edges fixed: the first time label is not cut at the left border.
      timeScale: { timeVisible: M.intraday, borderColor: '#d0d7de', fixLeftEdge: true, fixRightEdge: true },
      rightPriceScale: { borderColor: '#d0d7de', minimumWidth: 72 },
    });
  }
  M.charts.forEach(function (c, k) {
    var el = document.getElementById('chart-' + k);
    var chart = base(el, 420 + 140 * c.panes.length);
    var candles = chart.addSeries(LW.CandlestickSeries, {
      upColor: '#1a7f37', downColor: '#cf222e', borderVisible: false, wickUpColor: '#1a7f37', wickDownColor: '#cf222e',
    });
    var bars = [];
    for (var i = 0; i < c.t.length; i++) bars.push({ time: c.t[i], open: c.o[i], high: c.h[i], low: c.l[i], close: c.c[i] });
    candles.setData(bars);
    if (c.v) {
      // No value label: on the shared right edge it would sit over the price scale's labels.
      var vol = chart.addSeries(LW.HistogramSeries, {
        priceScaleId: 'volume', priceFormat: { type: 'volume' }, color: '#afb8c1', lastValueVisible: false, priceLineVisible: false, title: '',
      });
      vol.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
      var vs = [];
      for (var j = 0; j < c.t.length; j++) vs.push({ time: c.t[j], value: c.v[j], color: c.c[j] >= c.o[j] ? '#aceebb' : '#ffcecb' });
      vol.setData(vs);
    }
    var color = 0;
    c.overlays.forEach(function (l) {
      chart.addSeries(LW.LineSeries, { color: COLORS[color++ % COLORS.length], lineWidth: 1, title: l.name, priceLineVisible: false, lastValueVisible: false })
        .setData(line(c.t, l.values));
    });
    c.panes.forEach(function (p, pi) {
      p.lines.forEach(function (l, li) {
        var s = chart.addSeries(LW.LineSeries, { color: COLORS[color++ % COLORS.length], lineWidth: 1, title: l.name, priceLineVisible: false }, pi + 1);
        s.setData(line(c.t, l.values));
        // Guide levels (an RSI's 30 and 70), once per pane.
        if (li === 0 && p.bands) p.bands.forEach(function (b) {
          s.createPriceLine({ price: b, color: '#8c959f', lineWidth: 1, lineStyle: LW.LineStyle.Dashed, axisLabelVisible: true, title: '' });
        });
      });
    });
    // Bracket stop and target levels, each over the bars it was working.
    var levelSeries = [];
    c.levels.slice(0, 300).forEach(function (lv) {
      var s = chart.addSeries(LW.LineSeries, {
        color: lv.kind === 'stop' ? '#cf222e' : '#1a7f37', lineWidth: 1, lineStyle: LW.LineStyle.Dotted,
        priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false,
      });
      s.setData(lv.from === lv.to ? [{ time: lv.from, value: lv.price }] : [{ time: lv.from, value: lv.price }, { time: lv.to, value: lv.price }]);
      levelSeries.push(s);
    });
    // Heights by share (price 3, each indicator pane 1): fixed heights squeezed the first pane.
    chart.panes().forEach(function (p, pi) { p.setStretchFactor(pi === 0 ? 3 : 1); });
    var markers = c.markers.map(function (m) {
      var buy = m.side === 'buy';
      return {
        time: m.time, position: buy ? 'atPriceBottom' : 'atPriceTop', price: m.price, color: buy ? '#1a7f37' : '#cf222e',
        shape: buy ? 'arrowUp' : 'arrowDown', text: buy ? 'B' : 'S', id: 'order-' + m.ref,
      };
    });
    var plugin = LW.createSeriesMarkers(candles, markers);
    chart.timeScale().fitContent();
    out.charts.push(chart);
    out.levels = (out.levels || 0) + levelSeries.length;
    out.markers[c.name] = plugin.markers();
  });
  var eqEl = document.getElementById('equity');
  var eq = base(eqEl, 380);
  eq.addSeries(LW.LineSeries, { color: '#8250df', lineWidth: 2, title: 'value' }).setData(line(M.equity.t, M.equity.value));
  out.benchmark = eq.addSeries(LW.LineSeries, { color: '#8c959f', lineWidth: 1, title: M.equity.benchmarkName, priceLineVisible: false });
  out.benchmark.setData(line(M.equity.t, M.equity.benchmark));
  eq.addSeries(LW.AreaSeries, {
    lineColor: '#cf222e', topColor: 'rgba(207,34,46,0.05)', bottomColor: 'rgba(207,34,46,0.4)', lineWidth: 1, title: 'drawdown %', invertFilledArea: true,
  }, 1).setData(line(M.equity.t, M.equity.drawdown));
  eq.panes()[1].setHeight(120);
  eq.timeScale().fitContent();
  out.equity = eq;
  var rollEl = document.getElementById('rolling');
  var roll = base(rollEl, 300);
  roll.addSeries(LW.LineSeries, { color: '#0969da', lineWidth: 1, title: 'Sharpe', priceLineVisible: false }).setData(line(M.equity.t, M.rolling.sharpe));
  roll.addSeries(LW.LineSeries, { color: '#bf8700', lineWidth: 1, title: 'volatility %', priceLineVisible: false }, 1).setData(line(M.equity.t, M.rolling.volatility));
  roll.panes()[1].setHeight(120);
  roll.timeScale().fitContent();
  out.rolling = roll;
  window.addEventListener('resize', function () {
    out.charts.concat([eq, roll]).forEach(function (ch) { ch.applyOptions({ width: ch.chartElement().parentElement.clientWidth }); });
  });
  out.ready = true;
  window.ferrotradeReport = out;
})();`;
