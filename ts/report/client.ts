/**
 * @internal the script of the report page: draws the model (JSON in `#report-data`) with
 * lightweight-charts (inlined before it). It publishes `window.ferrotradeReport` = `{ charts,
 * equity, markers, ready }` so that tests and users can reach the charts.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  var M = JSON.parse(document.getElementById('report-data').textContent);
  var LW = window.LightweightCharts;
  var COLORS = ['#0969da', '#bf8700', '#8250df', '#1a7f37', '#cf222e', '#57606a', '#e16f24', '#1b7c83'];
  var out = { charts: [], markers: {}, equity: null, ready: false };
  function line(t, values) {
    var data = [];
    for (var i = 0; i < t.length; i++) data.push(values[i] === null ? { time: t[i] } : { time: t[i], value: values[i] });
    return data;
  }
  function base(el, height) {
    return LW.createChart(el, {
      width: el.clientWidth || 1000,
      height: height,
      layout: { background: { type: 'solid', color: '#ffffff' }, textColor: '#24292f', attributionLogo: false },
      grid: { vertLines: { color: '#f0f0f0' }, horzLines: { color: '#f0f0f0' } },
      timeScale: { timeVisible: M.intraday, borderColor: '#d0d7de' },
      rightPriceScale: { borderColor: '#d0d7de' },
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
      var vol = chart.addSeries(LW.HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' }, color: '#afb8c1' });
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
      p.lines.forEach(function (l) {
        chart.addSeries(LW.LineSeries, { color: COLORS[color++ % COLORS.length], lineWidth: 1, title: l.name, priceLineVisible: false }, pi + 1)
          .setData(line(c.t, l.values));
      });
    });
    chart.panes().forEach(function (p, pi) { if (pi > 0) p.setHeight(120); });
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
    out.markers[c.name] = plugin.markers();
  });
  var eqEl = document.getElementById('equity');
  var eq = base(eqEl, 380);
  eq.addSeries(LW.LineSeries, { color: '#8250df', lineWidth: 2, title: 'value' }).setData(line(M.equity.t, M.equity.value));
  eq.addSeries(LW.AreaSeries, {
    lineColor: '#cf222e', topColor: 'rgba(207,34,46,0.05)', bottomColor: 'rgba(207,34,46,0.4)', lineWidth: 1, title: 'drawdown %', invertFilledArea: true,
  }, 1).setData(line(M.equity.t, M.equity.drawdown));
  eq.panes()[1].setHeight(120);
  eq.timeScale().fitContent();
  out.equity = eq;
  window.addEventListener('resize', function () {
    out.charts.concat([eq]).forEach(function (ch) { ch.applyOptions({ width: ch.chartElement().parentElement.clientWidth }); });
  });
  out.ready = true;
  window.ferrotradeReport = out;
})();`;
