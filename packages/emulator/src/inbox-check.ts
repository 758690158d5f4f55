/**
 * The HTML check tab of a message: a score per client family, each feature the HTML uses that a
 * checked client lacks (caniemail's data, with the line), and every link with its target.
 */
import { DOM_HELPERS } from './inbox-dom';

export const checkPanel = `<div class="tab" data-panel="check" hidden>
        <p class="muted" id="m-check-summary"></p>
        <table class="grid scores" id="m-scores"><thead><tr><th>Client family</th><th>Score</th><th>Not supported</th><th>Partly</th></tr></thead><tbody></tbody></table>
        <h2>Features</h2>
        <ul class="issues" id="m-check"></ul>
        <h2>Links</h2>
        <ul class="links" id="m-links"></ul>
      </div>`;

export const checkScript = `
(function () {
  'use strict';
${DOM_HELPERS}  function scoreClass(score) { return score >= 90 ? 'state-ok' : score >= 60 ? 'state-wait' : 'state-bad'; }
  function renderScores(scores) {
    var body = document.querySelector('#m-scores tbody');
    clear(body);
    scores.forEach(function (family) {
      var row = el('tr');
      row.dataset.family = family.family;
      row.appendChild(el('td', '', family.name));
      var cell = el('td');
      cell.appendChild(el('b', 'score ' + scoreClass(family.score), family.score + '%'));
      row.appendChild(cell);
      row.appendChild(el('td', '', family.unsupported.join(', ') || '—'));
      row.appendChild(el('td', '', family.partial.join(', ') || '—'));
      body.appendChild(row);
    });
  }
  function renderIssues(list, issues) {
    issues.forEach(function (issue) {
      var node = el('li', issue.support === 'partial' ? 'partial' : '');
      var title = issue.url ? el('a', '', issue.feature) : el('b', '', issue.feature);
      if (issue.url) { title.href = issue.url; title.target = '_blank'; title.rel = 'noopener noreferrer'; }
      node.appendChild(title);
      node.appendChild(el('span', 'muted', (issue.support === 'partial' ? ' partly supported' : ' not supported') +
        (issue.line ? ' · line ' + issue.line : '') + ' · ' + issue.clients.join(', ')));
      list.appendChild(node);
    });
  }
  function renderLinks(links) {
    var list = $('m-links');
    clear(list);
    if (!links.length) list.appendChild(el('li', 'muted', 'No links.'));
    links.forEach(function (link) {
      var node = el('li');
      node.appendChild(el('span', 'link-text', link.text || '(no text)'));
      node.appendChild(el('code', 'link-href', link.href));
      node.appendChild(el('span', 'muted', link.kind + ' · line ' + link.line));
      if (link.warning) node.appendChild(el('span', 'badge warn', link.warning));
      list.appendChild(node);
    });
  }
  // the message whose check is shown: an answer for one opened before is dropped
  var shown = null;
  function load(id) {
    shown = id;
    var list = $('m-check');
    clear(list);
    clear(document.querySelector('#m-scores tbody'));
    clear($('m-links'));
    $('m-check-summary').textContent = 'Checking…';
    fetch('/_emulator/messages/' + encodeURIComponent(id) + '/html-check').then(function (response) { return response.json(); }).then(function (check) {
      if (shown !== id) return;
      if (check.html === false) {
        $('m-check-summary').textContent = 'This message has no HTML part.';
        $('m-scores').hidden = true;
        return;
      }
      $('m-scores').hidden = false;
      $('m-check-summary').textContent = check.unsupported.length + ' feature(s) not supported and ' + check.partial.length +
        ' partly supported by some of ' + check.clients.length + ' clients (caniemail data of ' + check.dataDate +
        '). A family\\'s score: over these features and its clients, supported 1, partly ½, not 0.';
      renderScores(check.scores);
      renderIssues(list, check.unsupported);
      renderIssues(list, check.partial);
      if (!check.unsupported.length && !check.partial.length) list.appendChild(el('li', 'muted', 'Every checked client supports every feature used.'));
      renderLinks(check.links);
    }).catch(function () { if (shown === id) $('m-check-summary').textContent = 'The check failed.'; });
  }
  document.addEventListener('inbox:message', function (event) { load(event.detail.id); });
})();
`;
