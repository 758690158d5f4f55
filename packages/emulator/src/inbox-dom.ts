/** The DOM helpers every script of the inbox page starts with (text only, never markup). */
export const DOM_HELPERS = `
  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function messageHash(id, tab) { return '#/message/' + encodeURIComponent(id) + (tab && tab !== 'html' ? '/' + tab : ''); }
  // one event stream for the whole page (browsers allow few connections per host)
  function live(name, listener) {
    if (!window.inboxEvents) window.inboxEvents = new EventSource('/_emulator/events');
    window.inboxEvents.addEventListener(name, listener);
    return window.inboxEvents;
  }
  function onRoute(listener) { document.addEventListener('inbox:route', function (event) { listener(event.detail); }); }
`;

/** How the message list and a message's view write addresses: `Name <email>`, or the email alone. */
export const ADDRESS_HELPERS = `  function address(a) { return a ? (a.name ? a.name + ' <' + a.email + '>' : a.email) : ''; }
  function addresses(list) { return (list || []).map(address).join(', '); }
`;
