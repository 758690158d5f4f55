/** The web inbox: one HTML page with inline CSS and vanilla JS, served at '/'. */
export function inboxPage(): string {
  return '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mailtrap emulator inbox</title></head><body><h1>Mailtrap emulator</h1><p>Inbox coming.</p></body></html>';
}
