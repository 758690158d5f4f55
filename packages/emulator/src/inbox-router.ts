/**
 * The inbox's URLs: every view and every tab of a message is a hash route, so reload, back and a
 * shared link open the same place. The router script runs last; each view's script listens to the
 * `inbox:route` event (`detail: { view, id, tab }`) and the router shows the `<main data-view>`
 * named by the route and marks its `[data-view-link]` in the navigation. A new view is a
 * `<main data-view="name">` plus a nav link `href="#/name" data-view-link="name"`.
 *
 *   #/messages                      the message list (also '' and any unknown route)
 *   #/message/{id}[/{tab}]          one message, tab html (default), text, headers, attachments,
 *                                   details, source, check, raw, events
 *   #/requests, #/account, #/integration
 */
export const ROUTER_SCRIPT = `
(function () {
  'use strict';
  function views() { return Array.prototype.slice.call(document.querySelectorAll('main[data-view]')); }
  function parse(hash) {
    var parts = hash.replace(/^#\\/?/, '').split('/');
    if (parts[0] === 'message' && parts[1]) {
      var id;
      try { id = decodeURIComponent(parts[1]); } catch (error) { id = parts[1]; }
      return { view: 'messages', id: id, tab: parts[2] || 'html' };
    }
    var known = views().some(function (main) { return main.dataset.view === parts[0]; });
    return { view: known ? parts[0] : 'messages', id: null, tab: null };
  }
  function apply() {
    var route = parse(location.hash);
    views().forEach(function (main) { main.hidden = main.dataset.view !== route.view; });
    Array.prototype.forEach.call(document.querySelectorAll('[data-view-link]'), function (link) {
      if (link.dataset.viewLink === route.view) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    });
    document.dispatchEvent(new CustomEvent('inbox:route', { detail: route }));
  }
  window.addEventListener('hashchange', apply);
  apply();
})();
`;
