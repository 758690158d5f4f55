import { DOM_HELPERS } from './inbox-dom';
import {
  accountNavButton,
  accountScript,
  accountStyles,
  accountView,
  eventsTabButton,
  eventsTabPanel,
} from './inbox-account';

/**
 * The web inbox: one page of plain HTML, CSS and vanilla JS served at '/'. Received HTML is only
 * ever shown inside `<iframe sandbox>` pointing at /_emulator/messages/{id}/html, which is itself
 * served with a `sandbox` CSP: no script of a received email can run. Everything else of a message
 * is put into the page with textContent, never as markup.
 */
export function inboxPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inbox · Mailtrap emulator</title>
<style nonce="${nonce}">${styles}${accountStyles}</style>
</head>
<body>
<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true">✉</span><strong>Mailtrap emulator</strong><span class="muted">local inbox</span></div>
  <nav class="views" aria-label="Views">
    <button type="button" id="show-messages" aria-pressed="true">Messages</button>
    <button type="button" id="show-requests" aria-pressed="false">Requests</button>
    ${accountNavButton}
  </nav>
  <div class="stats" id="stats" aria-live="polite"></div>
  <div class="live" id="live" title="Live updates"><span class="dot"></span><span id="live-text">connecting</span></div>
</header>
<main class="layout" id="messages-view">
  <section class="list-pane" aria-label="Messages">
    <form class="filters" id="filters" autocomplete="off">
      <input type="search" id="filter-text" name="q" placeholder="Search subject, text, recipients…" aria-label="Search">
      <div class="row">
        <select id="filter-stream" name="stream" aria-label="Stream">
          <option value="">All streams</option>
          <option value="transactional">Transactional</option>
          <option value="bulk">Bulk</option>
          <option value="sandbox">Sandbox</option>
        </select>
        <input type="text" id="filter-category" name="category" placeholder="Category" aria-label="Category">
      </div>
      <input type="text" id="filter-recipient" name="recipient" placeholder="Recipient" aria-label="Recipient">
    </form>
    <div class="count muted" id="count"></div>
    <ul class="messages" id="messages"></ul>
    <p class="empty" id="empty" hidden>No messages yet. Send one to <code id="endpoint"></code></p>
  </section>
  <section class="view-pane" id="view" aria-label="Message">
    <div class="placeholder muted" id="placeholder">Select a message to read it.</div>
    <article id="message" hidden>
      <header class="message-head">
        <h1 id="m-subject"></h1>
        <div class="badges" id="m-badges"></div>
        <dl class="meta" id="m-meta"></dl>
      </header>
      <nav class="tabs" role="tablist" id="tabs">
        <button role="tab" data-tab="html" aria-selected="true">HTML</button>
        <button role="tab" data-tab="text">Text</button>
        <button role="tab" data-tab="headers">Headers</button>
        <button role="tab" data-tab="attachments">Attachments <span id="m-attachment-count"></span></button>
        <button role="tab" data-tab="details">Details</button>
        <button role="tab" data-tab="source">Source</button>
        <button role="tab" data-tab="check">HTML check</button>
        <button role="tab" data-tab="raw">Raw JSON</button>
        ${eventsTabButton}
      </nav>
      <div class="tab" data-panel="html">
        <iframe id="m-html" title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer"></iframe>
      </div>
      <div class="tab" data-panel="text" hidden><pre id="m-text"></pre></div>
      <div class="tab" data-panel="headers" hidden><table class="kv" id="m-headers"></table></div>
      <div class="tab" data-panel="attachments" hidden><ul class="attachments" id="m-attachments"></ul></div>
      <div class="tab" data-panel="details" hidden>
        <h2>Custom variables</h2><table class="kv" id="m-custom"></table>
        <h2>Template</h2><table class="kv" id="m-template"></table>
        <h2>Message ids</h2><ul class="ids" id="m-ids"></ul>
      </div>
      <div class="tab" data-panel="source" hidden>
        <p><a id="m-eml" download>Download .eml</a> <span class="muted">the MIME message as built with Nodemailer's composer</span></p>
        <pre id="m-source"></pre>
      </div>
      <div class="tab" data-panel="check" hidden>
        <p class="muted" id="m-check-summary"></p>
        <ul class="issues" id="m-check"></ul>
      </div>
      <div class="tab" data-panel="raw" hidden><pre id="m-raw"></pre></div>
      ${eventsTabPanel}
    </article>
  </section>
</main>
<main class="requests-view" id="requests-view" hidden>
  <table class="requests">
    <thead><tr><th>Time</th><th>Request</th><th>Stream</th><th>Status</th><th>Fault</th><th>Accepted</th><th>Errors</th><th>ms</th></tr></thead>
    <tbody id="requests"></tbody>
  </table>
  <p class="empty" id="requests-empty">No API requests yet.</p>
</main>
${accountView}
<script nonce="${nonce}">${script}</script>
<script nonce="${nonce}">${accountScript}</script>
</body>
</html>`;
}

const styles = `
:root{--bg:#f6f7f9;--panel:#fff;--line:#e3e6ea;--text:#1d2330;--muted:#6b7280;--accent:#1a73e8;--accent-soft:#e8f0fe;--green:#12805c;--amber:#a15c07;--violet:#6d3fc0}
*{box-sizing:border-box}
[hidden]{display:none!important}
html,body{height:100%}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif;color:var(--text);background:var(--bg);display:flex;flex-direction:column}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.muted{color:var(--muted)}
.top{display:flex;align-items:center;gap:24px;padding:10px 18px;background:var(--panel);border-bottom:1px solid var(--line)}
.brand{display:flex;align-items:center;gap:8px}
.brand .logo{display:inline-grid;place-items:center;width:28px;height:28px;border-radius:7px;background:var(--accent);color:#fff;font-size:15px}
.brand strong{font-size:15px}
.views{display:flex;gap:4px;background:#eef0f3;border-radius:8px;padding:3px}
.views button{font:inherit;font-size:13px;border:0;background:none;padding:5px 12px;border-radius:6px;color:var(--muted);cursor:pointer}
.views button[aria-pressed=true]{background:#fff;color:var(--text);font-weight:600;box-shadow:0 1px 2px #0001}
.stats{display:flex;gap:14px;color:var(--muted);margin-left:auto}
.stats b{color:var(--text);font-weight:600}
.live{display:flex;align-items:center;gap:6px;color:var(--muted);font-size:12px}
.live .dot{width:8px;height:8px;border-radius:50%;background:#c4c8cf}
.live.on .dot{background:#22a06b;box-shadow:0 0 0 3px #22a06b22}
.layout{flex:1;display:grid;grid-template-columns:minmax(300px,380px) 1fr;min-height:0}
.list-pane{display:flex;flex-direction:column;border-right:1px solid var(--line);background:var(--panel);min-height:0}
.filters{display:flex;flex-direction:column;gap:8px;padding:12px;border-bottom:1px solid var(--line)}
.filters .row{display:flex;gap:8px}
.filters .row>*{flex:1;min-width:0}
input,select{font:inherit;padding:7px 9px;border:1px solid var(--line);border-radius:7px;background:#fff;color:var(--text)}
input:focus,select:focus{outline:2px solid var(--accent-soft);border-color:var(--accent)}
.count{padding:6px 14px;font-size:12px;border-bottom:1px solid var(--line)}
.messages{list-style:none;margin:0;padding:0;overflow:auto;flex:1}
.messages li{padding:10px 14px;border-bottom:1px solid var(--line);cursor:pointer;display:grid;grid-template-columns:1fr auto;gap:2px 8px}
.messages li:hover{background:#f8f9fb}
.messages li.selected{background:var(--accent-soft);box-shadow:inset 3px 0 0 var(--accent)}
.messages .subject{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.messages .time{color:var(--muted);font-size:12px}
.messages .who{grid-column:1/3;color:var(--muted);font-size:12.5px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.messages .tags{grid-column:1/3;display:flex;gap:6px;margin-top:3px}
.badge{display:inline-block;padding:1px 7px;border-radius:999px;font-size:11px;font-weight:600;background:#eef0f3;color:#4b5563}
.badge.transactional{background:#e6f4ee;color:var(--green)}
.badge.bulk{background:#fdf1e2;color:var(--amber)}
.badge.sandbox{background:#f1ebfb;color:var(--violet)}
.empty{padding:24px 16px;color:var(--muted)}
.view-pane{overflow:auto;min-width:0}
.placeholder{display:grid;place-items:center;height:100%}
article{padding:20px 24px;display:flex;flex-direction:column;gap:14px;min-height:100%}
.message-head h1{font-size:20px;margin:0 0 6px}
.badges{display:flex;gap:6px;margin-bottom:10px}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}
.meta dt{color:var(--muted)}
.meta dd{margin:0;word-break:break-word}
.tabs{display:flex;gap:2px;border-bottom:1px solid var(--line)}
.tabs button{font:inherit;border:0;background:none;padding:8px 12px;color:var(--muted);cursor:pointer;border-bottom:2px solid transparent;margin-bottom:-1px}
.tabs button[aria-selected=true]{color:var(--accent);border-bottom-color:var(--accent);font-weight:600}
.tab{flex:1;display:flex;flex-direction:column}
.tab[hidden]{display:none}
.issues{list-style:none;margin:0;padding:0}
.issues li{padding:8px 10px;border:1px solid var(--line);border-radius:8px;background:var(--panel);margin-bottom:6px}
.issues li b{font-family:ui-monospace,monospace;font-size:12.5px}
iframe{width:100%;flex:1;min-height:480px;border:1px solid var(--line);border-radius:8px;background:#fff}
pre{margin:0;padding:14px;background:var(--panel);border:1px solid var(--line);border-radius:8px;white-space:pre-wrap;word-break:break-word}
table.kv{border-collapse:collapse;width:100%;background:var(--panel);border:1px solid var(--line);border-radius:8px}
table.kv td{padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top;word-break:break-word}
table.kv td:first-child{width:30%;color:var(--muted);font-family:ui-monospace,monospace;font-size:12.5px}
h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:16px 0 8px}
.requests-view{flex:1;overflow:auto;padding:16px 18px}
table.requests{width:100%;border-collapse:collapse;background:var(--panel);border:1px solid var(--line);border-radius:8px;font-size:13px}
table.requests th{text-align:left;font-weight:600;color:var(--muted);padding:8px 10px;border-bottom:1px solid var(--line);position:sticky;top:0;background:var(--panel)}
table.requests td{padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top;word-break:break-word}
table.requests td.path{font-family:ui-monospace,monospace;font-size:12.5px}
.status{display:inline-block;min-width:38px;text-align:center;padding:1px 6px;border-radius:6px;font-weight:600;font-size:12px}
.status.ok{background:#e6f4ee;color:var(--green)}
.status.client{background:#fdf1e2;color:var(--amber)}
.status.server{background:#fde8e8;color:#b42318}
.status.none{background:#eef0f3;color:#4b5563}
.attachments,.ids{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.attachments a{display:flex;justify-content:space-between;gap:12px;padding:9px 12px;border:1px solid var(--line);border-radius:8px;background:var(--panel);color:var(--text);text-decoration:none}
.attachments a:hover{border-color:var(--accent)}
.ids li{font-family:ui-monospace,monospace;font-size:12.5px}
`;

const script = `
(function () {
  'use strict';
  var state = { selected: null, list: [], timer: null };
${DOM_HELPERS}  function address(a) { return a ? (a.name ? a.name + ' <' + a.email + '>' : a.email) : ''; }
  function addresses(list) { return (list || []).map(address).join(', '); }
  function time(iso) {
    var date = new Date(iso);
    var today = new Date();
    return date.toDateString() === today.toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
  }
  function size(bytes) {
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1048576) return (bytes / 1024).toFixed(1) + ' KB';
    return (bytes / 1048576).toFixed(1) + ' MB';
  }
  function query() {
    var params = new URLSearchParams({ summary: '1', limit: '300' });
    var values = { q: $('filter-text').value, stream: $('filter-stream').value, category: $('filter-category').value, recipient: $('filter-recipient').value };
    Object.keys(values).forEach(function (key) { if (values[key].trim()) params.set(key, values[key].trim()); });
    return params.toString();
  }
  function renderStats(stats) {
    var box = $('stats');
    clear(box);
    [['messages', 'messages'], ['recipients', 'recipients'], ['requests', 'requests'], ['faults', 'faults']].forEach(function (pair) {
      var span = el('span');
      span.appendChild(el('b', '', stats[pair[0]]));
      span.appendChild(document.createTextNode(' ' + pair[1]));
      box.appendChild(span);
    });
  }
  function renderList(data) {
    state.list = data.messages;
    var list = $('messages');
    clear(list);
    $('count').textContent = data.total === data.messages.length ? data.total + ' shown' : data.messages.length + ' of ' + data.total + ' shown';
    $('empty').hidden = data.total > 0;
    data.messages.forEach(function (message) {
      var item = el('li');
      item.dataset.id = message.id;
      if (message.id === state.selected) item.className = 'selected';
      item.appendChild(el('span', 'subject', message.subject || '(no subject)'));
      item.appendChild(el('span', 'time', time(message.receivedAt)));
      var recipients = addresses(message.to.concat(message.cc, message.bcc));
      item.appendChild(el('span', 'who', address(message.from) + ' → ' + recipients));
      var tags = el('span', 'tags');
      tags.appendChild(el('span', 'badge ' + message.stream, message.stream));
      if (message.category) tags.appendChild(el('span', 'badge', message.category));
      if (message.template_uuid) tags.appendChild(el('span', 'badge', 'template'));
      if (message.attachments) tags.appendChild(el('span', 'badge', message.attachments + (message.attachments === 1 ? ' attachment' : ' attachments')));
      item.appendChild(tags);
      item.addEventListener('click', function () { location.hash = '#/message/' + encodeURIComponent(message.id); });
      list.appendChild(item);
    });
    renderStats(data.stats);
  }
  function refresh() {
    return fetch('/_emulator/messages?' + query()).then(function (response) { return response.json(); }).then(renderList).catch(function () {});
  }
  function scheduleRefresh() {
    if (state.timer) return;
    state.timer = setTimeout(function () { state.timer = null; refresh(); }, 150);
  }
  function kvTable(table, object) {
    clear(table);
    var keys = Object.keys(object || {});
    if (!keys.length) {
      var row = table.insertRow();
      var cell = row.insertCell();
      cell.colSpan = 2;
      cell.textContent = 'none';
      cell.className = 'muted';
      return;
    }
    keys.forEach(function (key) {
      var row = table.insertRow();
      row.insertCell().textContent = key;
      var value = object[key];
      row.insertCell().textContent = typeof value === 'string' ? value : JSON.stringify(value);
    });
  }
  function selectTab(name) {
    Array.prototype.forEach.call(document.querySelectorAll('[role=tab]'), function (tab) {
      tab.setAttribute('aria-selected', String(tab.dataset.tab === name));
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-panel]'), function (panel) {
      panel.hidden = panel.dataset.panel !== name;
    });
  }
  function show(id) {
    state.selected = id;
    Array.prototype.forEach.call(document.querySelectorAll('.messages li'), function (item) {
      item.className = item.dataset.id === id ? 'selected' : '';
    });
    fetch('/_emulator/messages/' + encodeURIComponent(id)).then(function (response) {
      if (!response.ok) throw new Error('gone');
      return response.json();
    }).then(function (message) {
      var rendered = message.rendered || {};
      $('placeholder').hidden = true;
      $('message').hidden = false;
      $('m-subject').textContent = rendered.subject || message.subject || '(no subject)';
      var badges = $('m-badges');
      clear(badges);
      badges.appendChild(el('span', 'badge ' + message.stream, message.stream + (message.sandboxId ? ' #' + message.sandboxId : '')));
      if (message.category) badges.appendChild(el('span', 'badge', message.category));
      var meta = $('m-meta');
      clear(meta);
      [['From', address(message.from)], ['To', addresses(message.to)], ['Cc', addresses(message.cc)], ['Bcc', addresses(message.bcc)],
       ['Reply-To', address(message.reply_to)], ['Received', new Date(message.receivedAt).toLocaleString()],
       ['Unknown keys', (message.unknownKeys || []).join(', ')]].forEach(function (pair) {
        if (!pair[1]) return;
        meta.appendChild(el('dt', '', pair[0]));
        meta.appendChild(el('dd', '', pair[1]));
      });
      $('m-html').src = '/_emulator/messages/' + encodeURIComponent(message.id) + '/html';
      $('m-text').textContent = rendered.text || message.text || '(no text part)';
      kvTable($('m-headers'), message.headers);
      var attachments = $('m-attachments');
      clear(attachments);
      $('m-attachment-count').textContent = message.attachments.length ? '(' + message.attachments.length + ')' : '';
      if (!message.attachments.length) attachments.appendChild(el('li', 'muted', 'No attachments.'));
      message.attachments.forEach(function (attachment, index) {
        var item = el('li');
        var link = el('a');
        link.href = '/_emulator/messages/' + encodeURIComponent(message.id) + '/attachments/' + index;
        link.setAttribute('download', attachment.filename);
        link.appendChild(el('span', '', attachment.filename));
        link.appendChild(el('span', 'muted', (attachment.type || 'application/octet-stream') + ' · ' + size(attachment.size) + (attachment.disposition === 'inline' ? ' · inline' : '')));
        item.appendChild(link);
        attachments.appendChild(item);
      });
      kvTable($('m-custom'), message.custom_variables);
      var template = {};
      if (message.template_uuid) {
        template.template_uuid = message.template_uuid;
        if (message.template_id) template.template_id = message.template_id;
        template.template_variables = message.template_variables || {};
      }
      kvTable($('m-template'), template);
      var ids = $('m-ids');
      clear(ids);
      message.messageIds.forEach(function (messageId) { ids.appendChild(el('li', '', messageId)); });
      $('m-raw').textContent = JSON.stringify(message.raw, null, 2);
      var base = '/_emulator/messages/' + encodeURIComponent(message.id);
      $('m-eml').href = base + '/eml';
      $('m-source').textContent = 'Loading…';
      fetch(base + '/source').then(function (response) { return response.text(); }).then(function (text) {
        if (state.selected === message.id) $('m-source').textContent = text;
      }).catch(function () {});
      showCheck(message.id, base);
    }).catch(function () {
      $('message').hidden = true;
      $('placeholder').hidden = false;
      $('placeholder').textContent = 'This message is no longer kept (retention limit).';
    });
  }
  function showCheck(id, base) {
    var list = $('m-check');
    clear(list);
    $('m-check-summary').textContent = 'Checking…';
    fetch(base + '/html-check').then(function (response) { return response.json(); }).then(function (check) {
      if (state.selected !== id) return;
      $('m-check-summary').textContent = check.html === false ? 'This message has no HTML part.'
        : check.unsupported.length + ' feature(s) not supported by some of ' + check.clients.length + ' clients (caniemail data of ' + check.dataDate + ')';
      (check.unsupported || []).forEach(function (issue) {
        var item = el('li');
        item.appendChild(el('b', '', issue.feature));
        item.appendChild(el('span', 'muted', (issue.line ? ' line ' + issue.line + ' · ' : ' · ') + issue.clients.join(', ')));
        list.appendChild(item);
      });
    }).catch(function () { $('m-check-summary').textContent = 'The check failed.'; });
  }
  function statusClass(status) {
    if (status === undefined || status === null) return 'none';
    if (status < 300) return 'ok';
    if (status < 500) return 'client';
    return 'server';
  }
  function requestRow(record) {
    var row = el('tr');
    row.appendChild(el('td', '', new Date(record.time).toLocaleTimeString()));
    row.appendChild(el('td', 'path', record.method + ' ' + record.path));
    row.appendChild(el('td', '', record.stream || ''));
    var statusCell = el('td');
    statusCell.appendChild(el('span', 'status ' + statusClass(record.status), record.status === undefined || record.status === null ? 'none' : record.status));
    row.appendChild(statusCell);
    row.appendChild(el('td', '', record.fault || ''));
    row.appendChild(el('td', '', record.accepted));
    row.appendChild(el('td', '', (record.errors || []).join('; ')));
    row.appendChild(el('td', '', record.durationMs === undefined ? '' : Math.round(record.durationMs)));
    return row;
  }
  function addRequest(record) {
    var body = $('requests');
    body.insertBefore(requestRow(record), body.firstChild);
    while (body.childNodes.length > 300) body.removeChild(body.lastChild);
    $('requests-empty').hidden = true;
  }
  function loadRequests() {
    return fetch('/_emulator/requests?limit=300').then(function (response) { return response.json(); }).then(function (records) {
      clear($('requests'));
      records.forEach(addRequest);
      $('requests-empty').hidden = records.length > 0;
    }).catch(function () {});
  }
  function showView(name) {
    var requests = name === 'requests';
    $('messages-view').hidden = requests;
    $('requests-view').hidden = !requests;
    $('show-messages').setAttribute('aria-pressed', String(!requests));
    $('show-requests').setAttribute('aria-pressed', String(requests));
    if (requests) loadRequests();
  }
  $('show-messages').addEventListener('click', function () { showView('messages'); });
  $('show-requests').addEventListener('click', function () { showView('requests'); });
  function route() {
    var match = /^#\\/message\\/(.+)$/.exec(location.hash);
    if (match) show(decodeURIComponent(match[1]));
  }
  Array.prototype.forEach.call(document.querySelectorAll('[role=tab]'), function (tab) {
    tab.addEventListener('click', function () { selectTab(tab.dataset.tab); });
  });
  ['filter-text', 'filter-category', 'filter-recipient'].forEach(function (id) { $(id).addEventListener('input', scheduleRefresh); });
  $('filter-stream').addEventListener('change', refresh);
  $('filters').addEventListener('submit', function (event) { event.preventDefault(); refresh(); });
  $('endpoint').textContent = location.origin + '/api/send';
  window.addEventListener('hashchange', route);
  function connect() {
    var source = new EventSource('/_emulator/events');
    source.onopen = function () { $('live').className = 'live on'; $('live-text').textContent = 'live'; refresh(); };
    source.addEventListener('message', scheduleRefresh);
    source.addEventListener('request', function (event) {
      if (!$('requests-view').hidden) addRequest(JSON.parse(event.data));
      scheduleRefresh();
    });
    source.addEventListener('reset', function () { state.selected = null; $('message').hidden = true; $('placeholder').hidden = false; clear($('requests')); $('requests-empty').hidden = false; refresh(); });
    source.onerror = function () { $('live').className = 'live'; $('live-text').textContent = 'reconnecting'; };
  }
  refresh().then(route);
  connect();
})();
`;
