/**
 * The inbox's message view: the head (subject, addresses, Delete, .eml) and one tab per part, each
 * tab its own URL (#/message/{id}/{tab}). The HTML part is shown in `<iframe sandbox>` from
 * /_emulator/messages/{id}/html, served under a CSP that runs no script and loads nothing remote;
 * "Load remote content" reloads it with remote images, stylesheets and fonts allowed.
 */
import { eventsTabButton, eventsTabPanel } from './inbox-account';
import { checkPanel, checkScript } from './inbox-check';
import { CONFIRM_HELPERS } from './inbox-confirm';
import { ADDRESS_HELPERS, DOM_HELPERS } from './inbox-dom';

export const messagePane = `<section class="view-pane" id="view" aria-label="Message">
    <div class="placeholder muted" id="placeholder">Select a message to read it.</div>
    <article id="message" hidden>
      <a class="back" href="#/messages">← Messages</a>
      <header class="message-head">
        <div class="title-row">
          <h1 id="m-subject"></h1>
          <div class="actions">
            <a class="button" id="m-eml" download>Download .eml</a>
            <button type="button" class="danger" id="m-delete">Delete</button>
          </div>
        </div>
        <div class="badges" id="m-badges"></div>
        <dl class="meta" id="m-meta"></dl>
      </header>
      <nav class="tabs" role="tablist" id="tabs">
        <a role="tab" data-tab="html">HTML</a>
        <a role="tab" data-tab="text">Text</a>
        <a role="tab" data-tab="headers">Headers</a>
        <a role="tab" data-tab="attachments">Attachments <span id="m-attachment-count"></span></a>
        <a role="tab" data-tab="details">Details</a>
        <a role="tab" data-tab="source">Source</a>
        <a role="tab" data-tab="check">HTML check</a>
        <a role="tab" data-tab="raw">Raw JSON</a>
        ${eventsTabButton}
      </nav>
      <div class="tab" data-panel="html">
        <div class="remote-bar" id="m-remote-bar">
          <span id="m-remote-text">Remote content (images, stylesheets, fonts) is blocked: nothing leaves your machine.</span>
          <button type="button" class="small" id="m-remote" aria-pressed="false">Load remote content</button>
        </div>
        <iframe id="m-html" title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer"></iframe>
      </div>
      <div class="tab" data-panel="text" hidden><pre id="m-text"></pre></div>
      <div class="tab" data-panel="headers" hidden>
        <p class="muted">The header section of the message's MIME form: for an API send, what the emulator builds from the request with Nodemailer's composer (the API's fields and your <code>headers</code>); for an SMTP message, the headers as received. The servers that deliver a real message add their own (e.g. Received, DKIM-Signature); Mailtrap does not publish which, so none is made up here.</p>
        <table class="kv" id="m-headers"></table>
      </div>
      <div class="tab" data-panel="attachments" hidden><ul class="attachments" id="m-attachments"></ul></div>
      <div class="tab" data-panel="details" hidden>
        <h2>Custom variables</h2><table class="kv" id="m-custom"></table>
        <h2>Template</h2><table class="kv" id="m-template"></table>
        <h2>Message ids</h2><ul class="ids" id="m-ids"></ul>
      </div>
      <div class="tab" data-panel="source" hidden>
        <p class="muted">The RFC 822 form of the message (built with Nodemailer's composer for an API send, the bytes received for SMTP), as the .eml download has it.</p>
        <pre id="m-source"></pre>
      </div>
      ${checkPanel}
      <div class="tab" data-panel="raw" hidden><pre id="m-raw"></pre></div>
      ${eventsTabPanel}
    </article>
  </section>`;

export const messageScript = `
(function () {
  'use strict';
  var state = { id: null, loaded: null, remote: {} };
${DOM_HELPERS}${ADDRESS_HELPERS}${CONFIRM_HELPERS}  function size(bytes) {
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1048576) return (bytes / 1024).toFixed(1) + ' KB';
    return (bytes / 1048576).toFixed(1) + ' MB';
  }
  function base(id) { return '/_emulator/messages/' + encodeURIComponent(id); }
  function kvTable(table, object) {
    clear(table);
    var keys = Object.keys(object || {});
    if (!keys.length) {
      var cell = table.insertRow().insertCell();
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
    var known = Array.prototype.some.call(document.querySelectorAll('[data-panel]'), function (panel) { return panel.dataset.panel === name; });
    if (!known) name = 'html';
    Array.prototype.forEach.call(document.querySelectorAll('[role=tab]'), function (tab) {
      tab.setAttribute('aria-selected', String(tab.dataset.tab === name));
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-panel]'), function (panel) {
      panel.hidden = panel.dataset.panel !== name;
    });
  }
  function gone(text) {
    state.loaded = null;
    $('message').hidden = true;
    $('placeholder').hidden = false;
    $('placeholder').textContent = text;
  }
  var WHY = {
    unknown: 'No such message: no message with this id was received.',
    retention: 'This message is no longer kept: it was dropped by the retention limit (retainBodies / retainBodyBytes).',
    deleted: 'This message was deleted.',
  };
  function showHtml(id) {
    var remote = Boolean(state.remote[id]);
    $('m-html').src = base(id) + '/html' + (remote ? '?remote=1' : '');
    $('m-remote').setAttribute('aria-pressed', String(remote));
    $('m-remote').textContent = remote ? 'Block remote content' : 'Load remote content';
    $('m-remote-text').textContent = remote
      ? 'Remote content is loaded: its servers see your address and that the message was opened (scripts still never run).'
      : 'Remote content (images, stylesheets, fonts) is blocked: nothing leaves your machine.';
  }
  function render(message) {
    var rendered = message.rendered || {};
    state.loaded = message.id;
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
    Array.prototype.forEach.call(document.querySelectorAll('[role=tab]'), function (tab) { tab.href = messageHash(message.id, tab.dataset.tab); });
    showHtml(message.id);
    $('m-text').textContent = rendered.text || message.text || '(no text part)';
    var attachments = $('m-attachments');
    clear(attachments);
    $('m-attachment-count').textContent = message.attachments.length ? '(' + message.attachments.length + ')' : '';
    if (!message.attachments.length) attachments.appendChild(el('li', 'muted', 'No attachments.'));
    message.attachments.forEach(function (attachment, index) {
      var link = el('a');
      link.href = base(message.id) + '/attachments/' + index;
      link.setAttribute('download', attachment.filename);
      link.appendChild(el('span', '', attachment.filename));
      link.appendChild(el('span', 'muted', (attachment.type || 'application/octet-stream') + ' · ' + size(attachment.size) + (attachment.disposition === 'inline' ? ' · inline' : '')));
      var node = el('li');
      node.appendChild(link);
      attachments.appendChild(node);
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
    $('m-eml').href = base(message.id) + '/eml';
    $('m-source').textContent = 'Loading…';
    fetch(base(message.id) + '/source').then(function (response) { return response.text(); }).then(function (text) {
      if (state.loaded === message.id) $('m-source').textContent = text;
    }).catch(function () {});
    kvTable($('m-headers'), {});
    fetch(base(message.id) + '/headers').then(function (response) { return response.json(); }).then(function (answer) {
      if (state.loaded === message.id) kvTable($('m-headers'), answer.headers);
    }).catch(function () {});
    document.dispatchEvent(new CustomEvent('inbox:message', { detail: { id: message.id } }));
  }
  function load(id) {
    state.loaded = null;
    fetch(base(id)).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (state.id !== id) return;
      if (!answer.ok) return gone(WHY[answer.body.reason] || WHY.unknown);
      render(answer.body);
    }).catch(function () { if (state.id === id) gone('The emulator did not answer.'); });
  }
  function deleteOpen() {
    var id = state.loaded;
    if (!id) return;
    ask('Delete this message from the inbox?', 'Delete', function () {
      // back to the list, unless another message was opened in the meantime
      fetch(base(id), { method: 'DELETE' }).then(function () { if (state.id === id) location.hash = '#/messages'; });
    });
  }
  $('m-delete').addEventListener('click', deleteOpen);
  $('m-remote').addEventListener('click', function () {
    if (!state.loaded) return;
    state.remote[state.loaded] = !state.remote[state.loaded];
    showHtml(state.loaded);
  });
  document.addEventListener('keydown', function (event) {
    var target = event.target;
    if (event.key !== 'Delete' || asking() || $('message').hidden || $('messages-view').hidden) return;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
    event.preventDefault();
    deleteOpen();
  });
  onRoute(function (route) {
    if (route.view !== 'messages') return;
    if (!route.id) {
      state.id = null;
      state.loaded = null;
      $('message').hidden = true;
      $('placeholder').hidden = false;
      $('placeholder').textContent = 'Select a message to read it.';
      return;
    }
    selectTab(route.tab);
    if (route.id !== state.id) {
      state.id = route.id;
      load(route.id);
    }
  });
  live('deleted', function (event) {
    var data = JSON.parse(event.data);
    if (state.id && (data.all || (data.ids || []).indexOf(state.id) >= 0)) gone(WHY.deleted);
  });
  live('reset', function () { if (state.id) gone('The emulator was reset: its messages are gone.'); });
  // after a reconnect, events may have been missed: check that the open message is still kept
  live('open', function () {
    var id = state.loaded;
    if (!id) return;
    fetch(base(id)).then(function (response) {
      if (response.ok || state.loaded !== id) return;
      return response.json().then(function (body) { gone(WHY[body.reason] || WHY.unknown); });
    }).catch(function () {});
  });
})();
${checkScript}
`;
