/**
 * The inbox's confirmation before a deletion (Delete, the Delete key, Clear all): a modal
 * `<dialog>` of the page, not `window.confirm()`. Chromium closes an open `window.confirm()`, as
 * if cancelled, when a navigation of one of the page's frames commits, and the message's HTML part
 * is such a frame: it is still loading right after a message opens (and after "Load remote
 * content"), so pressing Delete at once could ask and then do nothing. A `<dialog>` stays open until
 * the user answers: Enter or the action button (it has the focus) confirms, Escape or Cancel does not.
 */

export const confirmDialog = `<dialog class="confirm" id="confirm" aria-labelledby="confirm-text">
  <p id="confirm-text"></p>
  <div class="confirm-actions">
    <button type="button" id="confirm-no">Cancel</button>
    <button type="button" class="danger" id="confirm-yes">Delete</button>
  </div>
</dialog>`;

export const confirmStyles = `
dialog.confirm{border:1px solid var(--line);border-radius:10px;padding:18px 20px;max-width:min(420px,calc(100vw - 32px));color:var(--text);box-shadow:0 12px 32px #0003}
dialog.confirm::backdrop{background:#1d233040}
dialog.confirm p{margin:0 0 16px}
.confirm-actions{display:flex;justify-content:flex-end;gap:8px}
`;

/** `ask(question, action, then)` runs `then` once the user confirms; `asking()` while it is open. */
export const CONFIRM_HELPERS = `  function asking() { return $('confirm').open; }
  function ask(question, action, then) {
    var box = $('confirm');
    if (box.open) return;
    var yes = $('confirm-yes');
    $('confirm-text').textContent = question;
    yes.textContent = action;
    yes.onclick = function () { box.close('yes'); };
    $('confirm-no').onclick = function () { box.close('no'); };
    box.onclose = function () { box.onclose = null; if (box.returnValue === 'yes') then(); };
    box.returnValue = '';
    box.showModal();
    yes.focus();
  }
`;
