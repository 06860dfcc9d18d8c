// Live updates for the status page: subscribe to /api/v1/events and patch
// rows, the banner and today's bar in place. Without JavaScript the page is
// complete as served; this only keeps it current.
(function () {
  'use strict';
  var updated = document.getElementById('updated');
  if (!updated || !window.EventSource) { return; }
  var stale = document.getElementById('stale');
  var banner = document.getElementById('banner');
  var at = Date.parse(updated.getAttribute('datetime'));
  var version = updated.getAttribute('data-version') || '0';
  var icons = { up: '✔', degraded: '▲', down: '✖', unknown: '?', maintenance: '⚙', paused: '‖' };
  var words = { up: 'Up', degraded: 'Degraded', down: 'Down', unknown: 'Unknown', maintenance: 'Maintenance', paused: 'Paused' };
  var bannerIcons = { operational: '✔', degraded: '▲', partial_outage: '✖', major_outage: '✖', maintenance: '⚙' };

  function ago(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) { return s + ' s ago'; }
    var m = Math.round(s / 60);
    if (m < 60) { return m + ' min ago'; }
    var h = Math.round(m / 60);
    if (h < 48) { return h + ' h ago'; }
    return Math.round(h / 24) + ' days ago';
  }
  function latency(ms) {
    if (ms === null || ms === undefined) { return '—'; }
    if (ms < 1) { return '<1 ms'; }
    if (ms < 1000) { return Math.floor(ms) + ' ms'; }
    return (ms / 1000).toFixed(2) + ' s';
  }
  function pct(r) {
    if (r === null || r === undefined) { return '—'; }
    if (r >= 1) { return '100%'; }
    if (r >= 0.9999) { return '99.99%'; }
    return (r * 100).toFixed(2) + '%';
  }
  function setText(row, sel, text) {
    var el = row.querySelector(sel);
    if (el) { el.textContent = text; }
  }
  function applyService(s) {
    var row = document.getElementById('svc-' + s.id);
    if (!row) { return; }
    row.className = 'svc st-' + s.status;
    setText(row, '.state .icon', icons[s.status] || '?');
    setText(row, '.word', words[s.status] || s.status);
    setText(row, '.lat', latency(s.latency_ms));
    setText(row, '.u24', pct(s.uptime['24h']));
    if (s.uptime['30d'] !== undefined) { setText(row, '.u30', pct(s.uptime['30d'])); }
    if (s.uptime['90d'] !== undefined) { setText(row, '.u90', pct(s.uptime['90d'])); }
    var rects = row.querySelectorAll('.bars rect');
    if (s.today && rects.length) {
      var today = rects[rects.length - 1];
      today.setAttribute('class', s.today['class']);
      var t = today.querySelector('title');
      if (t) { t.textContent = s.today.title; }
    }
  }
  function apply(ev) {
    at = Date.parse(ev.at);
    version = String(ev.version);
    updated.setAttribute('data-version', version);
    banner.className = 'banner ov-' + ev.overall.status;
    banner.querySelector('.icon').textContent = bannerIcons[ev.overall.status] || '';
    banner.querySelector('.text').textContent = ev.overall.text;
    for (var i = 0; i < ev.services.length; i++) { applyService(ev.services[i]); }
  }

  var es = new EventSource('/api/v1/events?since=' + encodeURIComponent(version));
  es.addEventListener('snapshot', function (e) { apply(JSON.parse(e.data)); tick(); });
  function tick() {
    var live = es.readyState === 1;
    updated.textContent = ago(Date.now() - at);
    updated.title = new Date(at).toISOString();
    stale.hidden = live;
    document.body.classList.toggle('is-stale', !live);
  }
  es.addEventListener('open', tick);
  es.addEventListener('error', tick);
  setInterval(tick, 1000);
  tick();
}());
