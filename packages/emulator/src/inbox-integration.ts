/**
 * The inbox's Integration page (#/integration), the local twin of Mailtrap's Integration tab: the
 * emulator's endpoints and verified domains, and copyable samples (integration.ts builds them) for
 * core, the Nodemailer transport, SMTP when it is on, and curl.
 */
import { DOM_HELPERS } from './inbox-dom';

export const integrationView = `<main class="integration-view" id="integration-view" data-view="integration" hidden>
  <section>
    <h2>Point your code here</h2>
    <p>Set two environment variables and run your code unchanged: <code>MAILTRAP_API_TOKEN</code> and <code>MAILTRAP_ENDPOINT</code>.</p>
    <table class="grid" id="i-endpoints"><tbody></tbody></table>
  </section>
  <section>
    <h2>Sending domains</h2>
    <p class="muted">Transactional and bulk send only from a verified domain (the sandbox from any). Verify one in <a href="#/account">Account</a>.</p>
    <ul class="domains" id="i-domains"></ul>
  </section>
  <section id="i-samples"></section>
</main>`;

export const integrationScript = `
(function () {
  'use strict';
${DOM_HELPERS}  function row(body, label, value) {
    var tr = el('tr');
    tr.appendChild(el('th', '', label));
    var td = el('td');
    td.appendChild(el('code', '', value));
    tr.appendChild(td);
    body.appendChild(tr);
  }
  function copyButton(text) {
    var button = el('button', 'small copy', 'Copy');
    button.type = 'button';
    button.addEventListener('click', function () {
      var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 1500); };
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () { button.textContent = 'Select and copy'; });
      else button.textContent = 'Select and copy';
    });
    return button;
  }
  function render(info) {
    var body = document.querySelector('#i-endpoints tbody');
    clear(body);
    row(body, 'MAILTRAP_ENDPOINT', info.url);
    row(body, 'MAILTRAP_API_TOKEN', info.token || 'the token given with --token (not shown)');
    row(body, 'Transactional', info.endpoints.send);
    row(body, 'Bulk', info.endpoints.bulk);
    row(body, 'Sandbox', info.endpoints.sandbox + '  (sandbox ' + info.sandboxId + ')');
    row(body, 'Account API', info.endpoints.general);
    if (info.smtp) {
      row(body, 'SMTP', info.smtp.host + ':' + info.smtp.port + '  (transactional; user api, password the token)');
      if (info.smtp.bulkPort) row(body, 'SMTP bulk', info.smtp.host + ':' + info.smtp.bulkPort + '  (user api, password the token)');
    }
    var domains = $('i-domains');
    clear(domains);
    info.domains.forEach(function (domain) {
      var item = el('li');
      item.appendChild(el('code', '', domain.name));
      item.appendChild(el('span', domain.verified ? 'state-ok' : 'state-wait', domain.verified ? ' verified' : ' not verified'));
      domains.appendChild(item);
    });
    var samples = $('i-samples');
    clear(samples);
    info.samples.forEach(function (sample) {
      var card = el('article', 'sample');
      card.dataset.sample = sample.id;
      var head = el('header');
      head.appendChild(el('h2', '', sample.title));
      head.appendChild(copyButton(sample.code));
      card.appendChild(head);
      card.appendChild(el('pre', 'code', sample.code));
      card.appendChild(el('p', 'muted', sample.note));
      samples.appendChild(card);
    });
  }
  onRoute(function (route) {
    if (route.view !== 'integration') return;
    fetch('/_emulator/integration').then(function (response) { return response.json(); }).then(render).catch(function () {});
  });
})();
`;
