/**
 * The dashboard page and its script. The page holds no secret: the kill switch asks the user
 * for the token and sends it with that one request. Served with a strict content security
 * policy, so the script is a file of its own (no inline script) and the charts library comes
 * from the server itself.
 */

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page's HTML; `control` shows the kill switch form. */
export function dashboardPage(title: string, opts: { control: boolean }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font: 14px system-ui, sans-serif; margin: 1rem; color: #222; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 4px; background: #eee; margin-right: 6px; }
.HALTED, .lost { background: #f8d0d0; } .ACTIVE, .connected, .trading { background: #d5f0d5; } .REDUCING, .reconnecting { background: #f8ecc8; }
#equity { width: 100%; max-width: 900px; height: 260px; }
</style></head>
<body>
<h1>${escape(title)}</h1>
<div id="status"><span class="badge" id="link">connecting</span><span class="badge" id="session">session: -</span><span class="badge" id="risk">risk: -</span></div>
<h2>Equity</h2><div id="equity"></div>
<h2>Positions</h2><table id="positions"><thead><tr><th>symbol</th><th>size</th><th>price</th></tr></thead><tbody></tbody></table>
<h2>Open orders</h2><table id="open-orders"><thead><tr><th>client id</th><th>symbol</th><th>side</th><th>size</th><th>type</th><th>price</th><th>status</th><th>filled</th></tr></thead><tbody></tbody></table>
<h2>Orders</h2><table id="orders"><thead><tr><th>client id</th><th>symbol</th><th>side</th><th>size</th><th>type</th><th>status</th><th>filled</th><th>avg price</th></tr></thead><tbody></tbody></table>
<h2>Fills</h2><table id="fills"><thead><tr><th>time</th><th>client id</th><th>symbol</th><th>side</th><th>size</th><th>price</th><th>commission</th></tr></thead><tbody></tbody></table>
<h2>Connections</h2><table id="connections"><thead><tr><th>component</th><th>state</th><th>detail</th></tr></thead><tbody></tbody></table>
${opts.control ? `<h2>Kill switch</h2>
<form id="kill"><input id="token" type="password" autocomplete="off" placeholder="dashboard token">
<label><input id="flatten" type="checkbox"> flatten</label> <button type="submit">Halt trading</button> <span id="kill-result"></span></form>` : '<p id="no-control">Control is off (the dashboard was started without a token).</p>'}
<script src="/assets/lightweight-charts.standalone.production.js"></script>
<script src="/app.js"></script>
</body></html>
`;
}

/** The page's script: renders each snapshot the websocket pushes. */
export const DASHBOARD_SCRIPT = `'use strict';
(function () {
  var chart = LightweightCharts.createChart(document.getElementById('equity'), { height: 260, timeScale: { timeVisible: true, secondsVisible: true } });
  var equity = chart.addSeries(LightweightCharts.LineSeries, { lineWidth: 2 });
  function num(v) { return v === null || v === undefined || (typeof v === 'number' && !isFinite(v)) ? '-' : (Math.round(v * 10000) / 10000).toString(); }
  function rows(id, list, cells) {
    var body = document.querySelector('#' + id + ' tbody');
    body.textContent = '';
    list.forEach(function (item) {
      var tr = document.createElement('tr');
      var values = cells(item);
      tr.dataset.key = values[0];
      values.forEach(function (v) { var td = document.createElement('td'); td.textContent = String(v); tr.appendChild(td); });
      body.appendChild(tr);
    });
  }
  function badge(id, text, cls) { var el = document.getElementById(id); el.textContent = text; el.className = 'badge ' + (cls || ''); }
  function render(s) {
    badge('session', 'session: ' + (s.session ? s.session.state + ' (' + s.session.mode + ')' : '-'), s.session && s.session.state);
    badge('risk', 'risk: ' + (s.risk ? s.risk.state : '-'), s.risk && s.risk.state);
    rows('positions', s.positions, function (p) { return [p.symbol, num(p.size), num(p.price)]; });
    rows('open-orders', s.openOrders, function (o) { return [o.clientOrderId || '#' + o.ref, o.symbol, o.side, num(o.size), o.orderType, num(o.price), o.status, num(o.filled)]; });
    rows('orders', s.orders.slice().reverse(), function (o) { return [o.clientOrderId || '#' + o.ref, o.symbol, o.side, num(o.size), o.orderType, o.status, num(o.filled), num(o.avgPrice)]; });
    rows('fills', s.fills.slice().reverse(), function (f) { return [new Date(f.time).toISOString(), f.clientOrderId || '#' + f.ref, f.symbol, f.side, num(f.size), num(f.price), num(f.commission)]; });
    rows('connections', s.connections, function (c) { return [c.component, c.state, c.detail || '']; });
    var points = [], last = -1;
    s.equity.forEach(function (p) { var t = Math.floor(p.time / 1000); if (t > last) { points.push({ time: t, value: p.value }); last = t; } else if (points.length) { points[points.length - 1].value = p.value; } });
    equity.setData(points);
    document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
  }
  function connect() {
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    ws.onopen = function () { badge('link', 'live', 'connected'); };
    ws.onmessage = function (m) { var msg = JSON.parse(m.data); if (msg.type === 'snapshot') render(msg.state); };
    ws.onclose = function () { badge('link', 'disconnected: retrying', 'lost'); setTimeout(connect, 1000); };
  }
  connect();
  var form = document.getElementById('kill');
  if (form) form.addEventListener('submit', function (e) {
    e.preventDefault();
    var out = document.getElementById('kill-result');
    var token = document.getElementById('token').value;
    fetch('/api/kill', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify({ flatten: document.getElementById('flatten').checked, reason: 'dashboard' }) })
      .then(function (r) { return r.json().then(function (b) { out.textContent = r.ok ? 'kill switch tripped' : (b.error || ('refused: ' + r.status)); }); })
      .catch(function (err) { out.textContent = String(err); });
    document.getElementById('token').value = '';
  });
})();
`;
