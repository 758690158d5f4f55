/**
 * The inbox's message list: filters, the newest messages first, a page at a time ("Load more"),
 * live updates, "Clear all" (after the page's confirmation, inbox-confirm) and the keyboard (j / k
 * or the arrow keys to move, / to search, Delete to delete the open message, Escape back to the list).
 */
import { CONFIRM_HELPERS } from './inbox-confirm';
import { ADDRESS_HELPERS, DOM_HELPERS } from './inbox-dom';

/** Messages per page of the list. */
export const LIST_PAGE_SIZE = 100;

export const listPane = `<section class="list-pane" aria-label="Messages">
    <form class="filters" id="filters" autocomplete="off">
      <input type="search" id="filter-text" name="q" placeholder="Search subject, text, recipients…  ( / )" aria-label="Search">
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
    <div class="count-bar"><span class="muted" id="count"></span><button type="button" class="danger small" id="clear-all">Clear all</button></div>
    <ul class="messages" id="messages"></ul>
    <button type="button" class="load-more" id="load-more" hidden>Load more</button>
    <p class="empty" id="empty" hidden>No messages yet. Send one to <code id="endpoint"></code> — see <a href="#/integration">Integration</a>.</p>
  </section>`;

export const listScript = `
(function () {
  'use strict';
  var PAGE = ${LIST_PAGE_SIZE};
  var state = { selected: null, limit: PAGE, timer: null, list: [] };
${DOM_HELPERS}${ADDRESS_HELPERS}${CONFIRM_HELPERS}  function time(iso) {
    var date = new Date(iso);
    return date.toDateString() === new Date().toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
  }
  function query() {
    var params = new URLSearchParams({ summary: '1', limit: String(state.limit) });
    var values = { q: $('filter-text').value, stream: $('filter-stream').value, category: $('filter-category').value, recipient: $('filter-recipient').value };
    Object.keys(values).forEach(function (key) { if (values[key].trim()) params.set(key, values[key].trim()); });
    return params.toString();
  }
  /** What is in the inbox now, then the counters (since the start or a reset; Clear all keeps them). */
  function renderStats(kept, stats) {
    var box = $('stats');
    clear(box);
    box.title = 'In the inbox: the messages kept now. Received, requests and faults: counted since the emulator started ' +
      'or was reset; Clear all and deleting keep them, and so does a restart with a data dir.';
    [[kept, 'in the inbox'], [stats.messages, 'received'], [stats.requests, 'requests'], [stats.faults, 'faults']].forEach(function (pair) {
      var span = el('span');
      span.appendChild(el('b', '', pair[0]));
      span.appendChild(document.createTextNode(' ' + pair[1]));
      box.appendChild(span);
    });
  }
  function item(message) {
    var node = el('li');
    node.dataset.id = message.id;
    if (message.id === state.selected) node.className = 'selected';
    var link = el('a', 'open');
    link.href = messageHash(message.id);
    link.appendChild(el('span', 'subject', message.subject || '(no subject)'));
    link.appendChild(el('span', 'time', time(message.receivedAt)));
    link.appendChild(el('span', 'who', address(message.from) + ' → ' + addresses(message.to.concat(message.cc, message.bcc))));
    var tags = el('span', 'tags');
    var via = el('span', 'badge via', message.via === 'smtp' ? 'SMTP' : 'API');
    via.title = message.via === 'smtp' ? 'Arrived over SMTP' : 'Arrived through the HTTP API';
    tags.appendChild(via);
    tags.appendChild(el('span', 'badge ' + message.stream, message.stream));
    if (message.category) tags.appendChild(el('span', 'badge', message.category));
    if (message.template_uuid) tags.appendChild(el('span', 'badge', 'template'));
    if (message.attachments) tags.appendChild(el('span', 'badge', message.attachments + (message.attachments === 1 ? ' attachment' : ' attachments')));
    link.appendChild(tags);
    node.appendChild(link);
    return node;
  }
  function render(data) {
    state.list = data.messages;
    var list = $('messages');
    clear(list);
    $('count').textContent = data.total === data.messages.length ? data.total + ' shown' : data.messages.length + ' of ' + data.total + ' shown';
    $('empty').hidden = data.total > 0;
    $('clear-all').disabled = data.kept === 0;
    $('load-more').hidden = data.messages.length >= data.total;
    data.messages.forEach(function (message) { list.appendChild(item(message)); });
    renderStats(data.kept, data.stats);
  }
  function refresh() {
    return fetch('/_emulator/messages?' + query()).then(function (response) { return response.json(); }).then(render).catch(function () {});
  }
  function scheduleRefresh() {
    if (state.timer) return;
    state.timer = setTimeout(function () { state.timer = null; refresh(); }, 150);
  }
  function filtersChanged() { state.limit = PAGE; scheduleRefresh(); }
  function move(step) {
    if (!state.list.length) return;
    var index = state.list.findIndex(function (message) { return message.id === state.selected; });
    var next = state.list[Math.min(state.list.length - 1, Math.max(0, index < 0 ? 0 : index + step))];
    location.hash = messageHash(next.id);
  }
  function typing(target) { return target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA'); }

  $('load-more').addEventListener('click', function () { state.limit += PAGE; refresh(); });
  $('clear-all').addEventListener('click', function () {
    ask('Delete every message in the inbox? Email Logs, requests and counters stay.', 'Clear all', function () {
      fetch('/_emulator/messages', { method: 'DELETE' }).then(function () { state.limit = PAGE; location.hash = '#/messages'; refresh(); });
    });
  });
  ['filter-text', 'filter-category', 'filter-recipient'].forEach(function (id) { $(id).addEventListener('input', filtersChanged); });
  $('filter-stream').addEventListener('change', filtersChanged);
  $('filters').addEventListener('submit', function (event) { event.preventDefault(); refresh(); });
  $('endpoint').textContent = location.origin + '/transactional/api/send';
  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || asking() || $('messages-view').hidden) return;
    if (event.key === 'Escape') { if (typing(event.target)) event.target.blur(); else location.hash = '#/messages'; return; }
    if (typing(event.target)) return;
    if (event.key === 'j' || event.key === 'ArrowDown') { event.preventDefault(); move(1); }
    else if (event.key === 'k' || event.key === 'ArrowUp') { event.preventDefault(); move(-1); }
    else if (event.key === '/') { event.preventDefault(); $('filter-text').focus(); }
  });
  onRoute(function (route) {
    state.selected = route.id;
    $('messages-view').classList.toggle('has-message', Boolean(route.id));
    Array.prototype.forEach.call(document.querySelectorAll('.messages li'), function (node) {
      node.className = node.dataset.id === route.id ? 'selected' : '';
    });
  });
  live('open', function () { $('live').className = 'live on'; $('live-text').textContent = 'live'; refresh(); });
  live('error', function () { $('live').className = 'live'; $('live-text').textContent = 'reconnecting'; });
  ['message', 'request', 'deleted', 'reset'].forEach(function (name) { live(name, scheduleRefresh); });
  refresh();
})();
`;
