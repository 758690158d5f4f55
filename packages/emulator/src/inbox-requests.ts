/**
 * The inbox's Requests view (#/requests): every API request, newest first, live — its path (which
 * breaks only after a `/`, `?` or `&`, never inside a word), stream, status, the fault that shaped
 * the answer, the ids accepted, the errors.
 */
import { DOM_HELPERS } from './inbox-dom';

export const requestsView = `<main class="requests-view" id="requests-view" data-view="requests" hidden>
  <table class="requests">
    <thead><tr><th>Time</th><th>Request</th><th>Stream</th><th>Status</th><th>Fault</th><th>Accepted</th><th>Errors</th><th>ms</th></tr></thead>
    <tbody id="requests"></tbody>
  </table>
  <p class="empty" id="requests-empty">No API requests yet.</p>
</main>`;

export const requestsScript = `
(function () {
  'use strict';
  var shown = false;
${DOM_HELPERS}  function statusClass(status) {
    if (status === undefined || status === null) return 'none';
    if (status < 300) return 'ok';
    if (status < 500) return 'client';
    return 'server';
  }
  function cell(row, text, label, className) {
    var td = el('td', className, text);
    td.dataset.label = label;
    row.appendChild(td);
    return td;
  }
  function pathCell(row, method, path) {
    var td = cell(row, '', 'Request', 'path');
    td.appendChild(el('span', 'method', method));
    td.appendChild(document.createTextNode(' '));
    path.split(/(?<=[\\/?&])/).forEach(function (part, index) {
      if (index > 0) td.appendChild(el('wbr'));
      td.appendChild(el('span', 'segment', part));
    });
  }
  function requestRow(record) {
    var row = el('tr');
    cell(row, new Date(record.time).toLocaleTimeString(), 'Time', 'time');
    pathCell(row, record.method, record.path);
    cell(row, record.stream || '', 'Stream');
    var status = cell(row, '', 'Status');
    status.appendChild(el('span', 'status ' + statusClass(record.status), record.status === undefined || record.status === null ? 'none' : record.status));
    cell(row, record.fault || '', 'Fault');
    cell(row, record.accepted, 'Accepted');
    cell(row, (record.errors || []).join('; '), 'Errors', 'errors');
    cell(row, record.durationMs === undefined ? '' : Math.round(record.durationMs), 'ms');
    return row;
  }
  function add(record) {
    var body = $('requests');
    body.insertBefore(requestRow(record), body.firstChild);
    while (body.childNodes.length > 300) body.removeChild(body.lastChild);
    $('requests-empty').hidden = true;
  }
  function load() {
    return fetch('/_emulator/requests?limit=300').then(function (response) { return response.json(); }).then(function (records) {
      clear($('requests'));
      records.forEach(add);
      $('requests-empty').hidden = records.length > 0;
    }).catch(function () {});
  }
  onRoute(function (route) {
    shown = route.view === 'requests';
    if (shown) load();
  });
  live('request', function (event) { if (shown) add(JSON.parse(event.data)); });
  live('reset', function () { clear($('requests')); $('requests-empty').hidden = false; });
})();
`;
