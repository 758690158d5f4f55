/**
 * The inbox's Compare view: pick two kept messages (by default a message sent over SMTP and its
 * twin with the same subject sent through the API, newest first; see defaultPair) and see them
 * side by side from GET /_emulator/compare (the list of messages is read each time the view opens) — addresses, subject, bodies with a line diff, metadata,
 * header fields, attachments — with the differences marked. The pair is in the URL
 * (`#/compare/<a>/<b>`). Same rules as the rest of the page: data goes in with textContent.
 */

import { DOM_HELPERS } from './inbox-dom';

/** The view's link in the navigation: the view is the hash route `#/compare[/{a}/{b}]` (inbox-router). */
export const compareNavLink = `<a href="#/compare" data-view-link="compare" id="show-compare">Compare</a>`;

export const compareView = `<main class="compare-view" id="compare-view" data-view="compare" hidden>
  <form class="compare-pick" id="compare-pick" autocomplete="off">
    <label>A <select id="compare-a" aria-label="Message A"></select></label>
    <label>B <select id="compare-b" aria-label="Message B"></select></label>
    <label class="only"><input type="checkbox" id="compare-only"> Only differences</label>
  </form>
  <p class="muted" id="compare-summary">Send the same message over SMTP and through the API, then compare them here.</p>
  <table class="compare" id="compare-table" hidden>
    <thead><tr><th>Field</th><th id="compare-head-a">A</th><th id="compare-head-b">B</th></tr></thead>
    <tbody id="compare-rows"></tbody>
  </table>
</main>`;

export const compareStyles = `
.compare-view{flex:1;overflow:auto;padding:16px 18px;display:flex;flex-direction:column;gap:12px}
.compare-pick{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:center}
.compare-pick label{display:flex;align-items:center;gap:6px;font-weight:600;min-width:0}
.compare-pick select{max-width:min(520px,80vw)}
.compare-pick .only{font-weight:400}
table.compare{width:100%;border-collapse:collapse;background:var(--panel);border:1px solid var(--line);border-radius:8px;table-layout:fixed}
table.compare th,table.compare td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
table.compare th{font-size:12px;color:var(--muted);font-weight:600}
table.compare th:first-child{width:18%}
table.compare tr.group td{background:#f3f4f6;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600}
table.compare tr.differs td{background:#fff7e6}
table.compare tr.differs td:first-child{box-shadow:inset 3px 0 0 var(--amber);font-weight:600}
table.compare tr.expected td:first-child{box-shadow:inset 3px 0 0 #c4c8cf}
table.compare td.absent{color:var(--muted);font-style:italic}
table.compare td.name{font-family:ui-monospace,monospace;font-size:12.5px}
table.compare .note{display:block;color:var(--muted);font-size:12px;font-weight:400}
table.compare pre.diff{padding:8px;font-size:12px;max-height:360px;overflow:auto}
pre.diff .added{background:#e6f4ee;color:var(--green);display:block}
pre.diff .removed{background:#fde8e8;color:#b42318;display:block}
pre.diff .same{display:block;color:var(--muted)}
`;

export const compareScript = `
(function () {
  'use strict';
${DOM_HELPERS}  var GROUPS = { addresses: 'Addresses', content: 'Subject and bodies', metadata: 'Metadata', headers: 'Header fields', attachments: 'Attachments' };
  var state = { list: [], pair: null, comparison: null, asked: 0 };
  function label(message) {
    return '[' + message.via.toUpperCase() + '] ' + (message.subject || '(no subject)') + ' · ' +
      ((message.to[0] && message.to[0].email) || '') + ' · ' + new Date(message.receivedAt).toLocaleTimeString();
  }
  function fill(select, chosen) {
    clear(select);
    state.list.forEach(function (message) {
      var option = el('option', null, label(message));
      option.value = message.id;
      if (message.id === chosen) option.selected = true;
      select.appendChild(option);
    });
  }
  /**
   * The default pair, newer first: the newest message that has a twin (same subject) that arrived
   * the other way (SMTP / API) with the newest such twin; else the newest message and the newest
   * other one with its subject; else the two newest.
   */
  function defaultPair() {
    var list = state.list;
    for (var index = 0; index < list.length; index++) {
      var message = list[index];
      var other = list.filter(function (candidate) { return candidate.subject === message.subject && candidate.via !== message.via; })[0];
      if (other) return [message.id, other.id];
    }
    var first = list[0];
    if (!first) return null;
    var twin = list.slice(1).filter(function (candidate) { return candidate.subject === first.subject; })[0] || list[1];
    return twin ? [first.id, twin.id] : null;
  }
  function loadList() {
    return fetch('/_emulator/messages?summary=1&limit=200').then(function (answer) { return answer.json(); }).then(function (body) {
      state.list = body.messages;
      var pair = state.pair || defaultPair();
      fill($('compare-a'), pair && pair[0]);
      fill($('compare-b'), pair && pair[1]);
      return pair;
    });
  }
  function cellValue(row, value) {
    var td = el('td', value === null ? 'absent' : null, value === null ? 'none' : value);
    row.appendChild(td);
  }
  function render() {
    var rows = $('compare-rows');
    clear(rows);
    var comparison = state.comparison;
    if (!comparison) return;
    var only = $('compare-only').checked;
    $('compare-head-a').textContent = 'A · ' + comparison.a.via.toUpperCase() + ' · ' + comparison.a.stream;
    $('compare-head-b').textContent = 'B · ' + comparison.b.via.toUpperCase() + ' · ' + comparison.b.stream;
    var group = null;
    comparison.fields.forEach(function (field) {
      if (only && field.same) return;
      if (field.group !== group) {
        group = field.group;
        var heading = el('tr', 'group');
        var td = el('td', null, GROUPS[group] || group);
        td.colSpan = 3;
        heading.appendChild(td);
        rows.appendChild(heading);
      }
      var row = el('tr', field.same ? 'same' : field.note ? 'expected' : 'differs');
      row.dataset.field = field.field;
      var name = el('td', field.group === 'headers' ? 'name' : null, field.field);
      if (field.note) name.appendChild(el('span', 'note', field.note));
      else if (!field.same) name.appendChild(el('span', 'note', 'differs'));
      row.appendChild(name);
      if (field.diff) {
        var td = el('td');
        td.colSpan = 2;
        var pre = el('pre', 'diff');
        field.diff.forEach(function (line) {
          var prefix = line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  ';
          pre.appendChild(el('span', line.kind, prefix + line.text));
        });
        td.appendChild(pre);
        row.appendChild(td);
      } else {
        cellValue(row, field.a);
        cellValue(row, field.b);
      }
      rows.appendChild(row);
    });
  }
  function compare(a, b) {
    state.pair = [a, b];
    var asked = ++state.asked;
    return fetch('/_emulator/compare?a=' + encodeURIComponent(a) + '&b=' + encodeURIComponent(b)).then(function (answer) {
      return answer.json().then(function (body) { return { ok: answer.ok, body: body }; });
    }).then(function (result) {
      // an answer to an earlier pick that came late is not shown
      if (asked !== state.asked) return;
      if (!result.ok) {
        state.comparison = null;
        $('compare-table').hidden = true;
        $('compare-summary').textContent = result.body.error;
        return;
      }
      state.comparison = result.body;
      $('compare-table').hidden = false;
      var count = result.body.differences;
      $('compare-summary').textContent = a === b ? 'The same message on both sides.' :
        count === 0 ? 'No differences (besides the values each message has its own of).' :
        count + (count === 1 ? ' field differs.' : ' fields differ.');
      render();
    });
  }
  /** The view is shown by the router; this loads it. */
  function open() {
    loadList().then(function (pair) {
      if (!pair) { $('compare-summary').textContent = 'Compare needs two messages: none or one is kept.'; return; }
      var hash = '#/compare/' + encodeURIComponent(pair[0]) + '/' + encodeURIComponent(pair[1]);
      if (location.hash !== hash) history.replaceState(null, '', hash);
      compare(pair[0], pair[1]);
    });
  }
  function pick() {
    location.hash = '#/compare/' + encodeURIComponent($('compare-a').value) + '/' + encodeURIComponent($('compare-b').value);
  }
  // the router's event for every route; '#/compare/{a}/{b}' names the pair, '#/compare' asks for the default
  document.addEventListener('inbox:route', function (event) {
    if (event.detail.view !== 'compare') return;
    var match = /^#\\/compare\\/([^/]+)\\/([^/]+)$/.exec(location.hash);
    state.pair = match ? [decodeURIComponent(match[1]), decodeURIComponent(match[2])] : null;
    open();
  });
  $('compare-a').addEventListener('change', pick);
  $('compare-b').addEventListener('change', pick);
  $('compare-only').addEventListener('change', render);
})();
`;
