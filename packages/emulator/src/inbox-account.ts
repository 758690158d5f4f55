/**
 * The inbox's account parts: an Account view (sending domains with their DNS records and tokens,
 * API tokens, webhooks and every delivery attempt) and the Events tab of a message (each
 * recipient's status and events). Same rules as the rest of the page: data goes in with
 * textContent, never as markup.
 */

import { DOM_HELPERS } from './inbox-dom';

export const eventsTabButton = `<a role="tab" data-tab="events">Events</a>`;

export const eventsTabPanel = `<div class="tab" data-panel="events" hidden><div id="m-events"></div></div>`;

export const accountView = `<main class="account-view" id="account-view" data-view="account" hidden>
  <section aria-labelledby="a-domains-title">
    <h2 id="a-domains-title">Sending domains</h2>
    <div id="a-domains"></div>
  </section>
  <section aria-labelledby="a-tokens-title">
    <h2 id="a-tokens-title">API tokens</h2>
    <table class="grid"><thead><tr><th>Name</th><th>Token</th><th>Streams</th><th>Access</th><th>Created by</th></tr></thead><tbody id="a-tokens"></tbody></table>
  </section>
  <section aria-labelledby="a-webhooks-title">
    <h2 id="a-webhooks-title">Webhooks</h2>
    <table class="grid"><thead><tr><th>URL</th><th>Stream</th><th>Format</th><th>Events</th><th>Active</th></tr></thead><tbody id="a-webhooks"></tbody></table>
    <p class="muted" id="a-webhooks-empty">No webhooks. Create one with POST /api/webhooks.</p>
    <h3>Deliveries</h3>
    <table class="grid"><thead><tr><th>Time</th><th>URL</th><th>Events</th><th>State</th><th>Attempts</th></tr></thead><tbody id="a-deliveries"></tbody></table>
    <p class="muted" id="a-deliveries-empty">No webhook deliveries yet.</p>
  </section>
</main>`;

export const accountStyles = `
.account-view{flex:1;overflow:auto;padding:16px 18px;display:flex;flex-direction:column;gap:22px}
.account-view h2{font-size:15px;margin:0 0 8px}
.account-view h3{font-size:13px;margin:14px 0 6px}
.grid{width:100%;border-collapse:collapse;background:var(--panel);border:1px solid var(--line);border-radius:8px}
.grid th,.grid td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}
.grid th{font-size:12px;color:var(--muted);font-weight:600}
.domain{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin-bottom:10px}
.domain header{display:flex;align-items:center;gap:10px;flex-wrap:wrap}
.domain header strong{font-size:14px}
.domain .grid{margin-top:8px}
.state-ok{color:var(--green);font-weight:600}
.state-bad{color:#b42318;font-weight:600}
.state-wait{color:var(--amber);font-weight:600}
.verify{font:inherit;font-size:12px;border:1px solid var(--accent);color:var(--accent);background:#fff;border-radius:6px;padding:3px 10px;cursor:pointer}
.event-list{margin:0;padding-left:18px}
.recipient{margin-bottom:12px}
`;

export const accountScript = `
(function () {
${DOM_HELPERS}  function cell(row, text, className) { var td = el('td', className, text); row.appendChild(td); return td; }
  function attemptRuns(attempts) {
    var runs = [];
    attempts.forEach(function (attempt) {
      var outcome = String(attempt.status || attempt.error);
      var last = runs[runs.length - 1];
      if (last && last.outcome === outcome) last.to = attempt.attempt;
      else runs.push({ from: attempt.attempt, to: attempt.attempt, outcome: outcome });
    });
    return runs.map(function (run) { return '#' + run.from + (run.to !== run.from ? '–#' + run.to : '') + ' ' + run.outcome; });
  }
  function json(url) { return fetch(url).then(function (response) { return response.json(); }); }
  function stateClass(state) { return state === 'delivered' || state === 'pass' || state === 'compliant' ? 'state-ok' : state === 'pending' || state === 'missing' || state === 'unverified_dns' ? 'state-wait' : 'state-bad'; }

  function renderDomains(domains) {
    var box = $('a-domains');
    clear(box);
    domains.forEach(function (domain) {
      var card = el('article', 'domain');
      card.dataset.domain = domain.domain_name;
      var head = el('header');
      head.appendChild(el('strong', '', domain.domain_name));
      head.appendChild(el('span', stateClass(domain.compliance_status), domain.dns_verified ? 'verified' : 'not verified'));
      head.appendChild(el('span', 'muted', 'id ' + domain.id + ' · ' + domain.compliance_status));
      if (!domain.dns_verified) {
        var button = el('button', 'verify', 'Verify');
        button.type = 'button';
        button.addEventListener('click', function () {
          fetch('/_emulator/domains/' + encodeURIComponent(domain.domain_name) + '/verify', { method: 'POST' }).then(load);
        });
        head.appendChild(button);
      }
      card.appendChild(head);
      (domain.tokens || []).forEach(function (token) {
        var line = el('div', 'muted');
        line.appendChild(document.createTextNode('Sending token: '));
        line.appendChild(el('code', 'domain-token', token.token || '…' + token.last_4_digits));
        card.appendChild(line);
      });
      var table = el('table', 'grid');
      var headRow = el('tr');
      ['Record', 'Type', 'Name', 'Value', 'Status'].forEach(function (name) { headRow.appendChild(el('th', '', name)); });
      var thead = el('thead'); thead.appendChild(headRow); table.appendChild(thead);
      var body = el('tbody');
      domain.dns_records.forEach(function (record) {
        var row = el('tr');
        cell(row, record.key); cell(row, record.type); cell(row, record.domain); cell(row, record.value); cell(row, record.status, stateClass(record.status));
        body.appendChild(row);
      });
      table.appendChild(body);
      card.appendChild(table);
      box.appendChild(card);
    });
  }
  function renderTokens(tokens) {
    var body = $('a-tokens');
    clear(body);
    tokens.forEach(function (token) {
      var row = el('tr');
      cell(row, token.name);
      var value = cell(row, '');
      value.appendChild(el('code', '', token.token || '…' + token.last_4_digits));
      cell(row, token.streams.join(', '));
      cell(row, token.account_access === 100 ? 'account admin' : token.account_access === 10 ? 'account viewer' : 'domains ' + (token.domain_ids || []).join(', '));
      cell(row, token.created_by);
      body.appendChild(row);
    });
  }
  function renderWebhooks(data) {
    var hooks = $('a-webhooks');
    clear(hooks);
    data.webhooks.forEach(function (hook) {
      var row = el('tr');
      cell(row, hook.url); cell(row, hook.sending_stream || hook.webhook_type); cell(row, hook.payload_format);
      cell(row, hook.event_types.join(', ')); cell(row, hook.active ? 'yes' : 'no');
      hooks.appendChild(row);
    });
    $('a-webhooks-empty').hidden = data.webhooks.length > 0;
    var deliveries = $('a-deliveries');
    clear(deliveries);
    data.deliveries.forEach(function (delivery) {
      var row = el('tr');
      row.className = 'delivery';
      var first = delivery.attempts[0];
      cell(row, first ? new Date(first.time).toLocaleTimeString() : '');
      cell(row, delivery.url);
      cell(row, delivery.events.map(function (event) { return event.event + ' ' + event.email; }).join('; '));
      cell(row, delivery.state, stateClass(delivery.state));
      cell(row, attemptRuns(delivery.attempts).join(', '));
      deliveries.appendChild(row);
    });
    $('a-deliveries-empty').hidden = data.deliveries.length > 0;
  }
  function load() {
    return Promise.all([json('/_emulator/domains'), json('/_emulator/tokens'), json('/_emulator/webhooks')]).then(function (all) {
      renderDomains(all[0]); renderTokens(all[1]); renderWebhooks(all[2]);
    }).catch(function () {});
  }

  var route = { view: 'messages', id: null, tab: null };
  function loadEvents() {
    var id = route.id;
    var box = $('m-events');
    if (!id || route.tab !== 'events') return;
    json('/_emulator/messages/' + encodeURIComponent(id) + '/events').then(function (recipients) {
      clear(box);
      if (!Array.isArray(recipients)) return;
      recipients.forEach(function (recipient) {
        var part = el('section', 'recipient');
        var head = el('div');
        head.appendChild(el('strong', '', recipient.email || recipient.message_id));
        if (recipient.status) head.appendChild(el('span', 'badge ' + stateClass(recipient.status === 'delivered' ? 'delivered' : 'failed'), recipient.status));
        part.appendChild(head);
        var list = el('ul', 'event-list');
        recipient.events.forEach(function (event) {
          var details = Object.keys(event.details).map(function (key) { return key + ': ' + event.details[key]; });
          if (event.user_agent) details.push('user agent: ' + event.user_agent);
          var item = el('li', 'event', event.event_type + ' · ' + new Date(event.created_at).toLocaleTimeString() + (details.length ? ' — ' + details.join(', ') : ''));
          item.dataset.type = event.event_type;
          list.appendChild(item);
        });
        if (!recipient.events.length) list.appendChild(el('li', 'muted', recipient.status === null ? 'not in Email Logs (sandbox)' : 'no events'));
        part.appendChild(list);
        box.appendChild(part);
      });
    }).catch(function () {});
  }

  onRoute(function (next) {
    route = next;
    if (route.view === 'account') load();
    loadEvents();
  });
  live('event', function () { loadEvents(); if (route.view === 'account') load(); });
  live('webhook', function () { if (route.view === 'account') load(); });
})();
`;
