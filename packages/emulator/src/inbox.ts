/**
 * The web inbox: one page of plain HTML, CSS and vanilla JS served at '/', its views assembled
 * from their modules (inbox-list, inbox-message, inbox-check, inbox-requests, inbox-account,
 * inbox-integration, inbox-compare, inbox-confirm) and tied to the URL by inbox-router. Received
 * HTML is only ever shown inside `<iframe sandbox>` pointing at /_emulator/messages/{id}/html,
 * which is itself served with a `sandbox` CSP: no script of a received email can run, and nothing
 * remote loads unless the user asks. Everything else of a message is put into the page with
 * textContent, never as markup.
 */
import { accountScript, accountStyles, accountView } from './inbox-account';
import { compareNavLink, compareScript, compareStyles, compareView } from './inbox-compare';
import { confirmDialog, confirmStyles } from './inbox-confirm';
import { integrationScript, integrationView } from './inbox-integration';
import { listPane, listScript } from './inbox-list';
import { messagePane, messageScript } from './inbox-message';
import { requestsScript, requestsView } from './inbox-requests';
import { ROUTER_SCRIPT } from './inbox-router';
import { INBOX_STYLES } from './inbox-styles';

/** The inbox's icon: an envelope on the accent colour (served at /favicon.svg and /favicon.ico). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1a73e8"/><path d="M7 10h18v12H7z" fill="none" stroke="#fff" stroke-width="2" stroke-linejoin="round"/><path d="M7 10l9 7 9-7" fill="none" stroke="#fff" stroke-width="2" stroke-linejoin="round"/></svg>`;

export function inboxPage(nonce: string): string {
  const script = (code: string) => `<script nonce="${nonce}">${code}</script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inbox · Mailtrap emulator</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style nonce="${nonce}">${INBOX_STYLES}${accountStyles}${compareStyles}${confirmStyles}</style>
</head>
<body>
<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true">✉</span><strong>Mailtrap emulator</strong><span class="muted">local inbox</span></div>
  <nav class="views" aria-label="Views">
    <a href="#/messages" data-view-link="messages" id="show-messages">Messages</a>
    <a href="#/requests" data-view-link="requests" id="show-requests">Requests</a>
    <a href="#/account" data-view-link="account" id="show-account">Account</a>
    <a href="#/integration" data-view-link="integration" id="show-integration">Integration</a>
    ${compareNavLink}
  </nav>
  <div class="stats" id="stats" aria-live="polite"></div>
  <div class="live" id="live" title="Live updates"><span class="dot"></span><span id="live-text">connecting</span></div>
</header>
<main class="layout" id="messages-view" data-view="messages">
  ${listPane}
  ${messagePane}
</main>
${requestsView}
${accountView}
${integrationView}
${compareView}
${confirmDialog}
${script(listScript)}
${script(messageScript)}
${script(requestsScript)}
${script(accountScript)}
${script(integrationScript)}
${script(compareScript)}
${script(ROUTER_SCRIPT)}
</body>
</html>`;
}
