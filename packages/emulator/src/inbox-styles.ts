/** The inbox page's CSS: one sheet, the narrow layout (a phone, 420 px) at the end. */
export const INBOX_STYLES = `
:root{--bg:#f6f7f9;--panel:#fff;--line:#e3e6ea;--text:#1d2330;--muted:#6b7280;--accent:#1a73e8;--accent-soft:#e8f0fe;--green:#12805c;--amber:#a15c07;--violet:#6d3fc0}
*{box-sizing:border-box}
[hidden]{display:none!important}
html,body{height:100%}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif;color:var(--text);background:var(--bg);display:flex;flex-direction:column}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.muted{color:var(--muted)}
.top{display:flex;align-items:center;gap:24px;padding:10px 18px;background:var(--panel);border-bottom:1px solid var(--line)}
.brand{display:flex;align-items:center;gap:8px}
.brand .logo{display:inline-grid;place-items:center;width:28px;height:28px;border-radius:7px;background:var(--accent);color:#fff;font-size:15px}
.brand strong{font-size:15px}
.views{display:flex;gap:4px;background:#eef0f3;border-radius:8px;padding:3px}
.views a{font-size:13px;padding:5px 12px;border-radius:6px;color:var(--muted);text-decoration:none;white-space:nowrap}
.views a[aria-current=page]{background:#fff;color:var(--text);font-weight:600;box-shadow:0 1px 2px #0001}
.stats{display:flex;gap:14px;color:var(--muted);margin-left:auto}
.stats b{color:var(--text);font-weight:600}
.live{display:flex;align-items:center;gap:6px;color:var(--muted);font-size:12px}
.live .dot{width:8px;height:8px;border-radius:50%;background:#c4c8cf}
.live.on .dot{background:#22a06b;box-shadow:0 0 0 3px #22a06b22}
.layout{flex:1;display:grid;grid-template-columns:minmax(300px,380px) 1fr;min-height:0}
.list-pane{display:flex;flex-direction:column;border-right:1px solid var(--line);background:var(--panel);min-height:0}
.filters{display:flex;flex-direction:column;gap:8px;padding:12px;border-bottom:1px solid var(--line)}
.filters .row{display:flex;gap:8px}
.filters .row>*{flex:1;min-width:0}
input,select{font:inherit;padding:7px 9px;border:1px solid var(--line);border-radius:7px;background:#fff;color:var(--text)}
input:focus,select:focus{outline:2px solid var(--accent-soft);border-color:var(--accent)}
.count{padding:6px 14px;font-size:12px;border-bottom:1px solid var(--line)}
.messages{list-style:none;margin:0;padding:0;overflow:auto;flex:1}
.messages li{border-bottom:1px solid var(--line)}
.messages a.open{padding:10px 14px;display:grid;grid-template-columns:1fr auto;gap:2px 8px;color:inherit;text-decoration:none}
.messages li:hover{background:#f8f9fb}
.messages li.selected{background:var(--accent-soft);box-shadow:inset 3px 0 0 var(--accent)}
.messages .subject{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.messages .time{color:var(--muted);font-size:12px}
.messages .who{grid-column:1/3;color:var(--muted);font-size:12.5px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.messages .tags{grid-column:1/3;display:flex;gap:6px;margin-top:3px}
.badge{display:inline-block;padding:1px 7px;border-radius:999px;font-size:11px;font-weight:600;background:#eef0f3;color:#4b5563}
.badge.transactional{background:#e6f4ee;color:var(--green)}
.badge.bulk{background:#fdf1e2;color:var(--amber)}
.badge.sandbox{background:#f1ebfb;color:var(--violet)}
.badge.via{background:#fff;border:1px solid var(--line);color:var(--muted);font-family:ui-monospace,monospace;font-size:10.5px;letter-spacing:.02em}
.empty{padding:24px 16px;color:var(--muted)}
.view-pane{overflow:auto;min-width:0}
.placeholder{display:grid;place-items:center;height:100%}
article{padding:20px 24px;display:flex;flex-direction:column;gap:14px;min-height:100%}
.message-head h1{font-size:20px;margin:0 0 6px}
.badges{display:flex;gap:6px;margin-bottom:10px}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}
.meta dt{color:var(--muted)}
.meta dd{margin:0;word-break:break-word}
.tabs{display:flex;gap:2px;border-bottom:1px solid var(--line);overflow-x:auto;scrollbar-width:thin}
.tabs a{padding:8px 12px;color:var(--muted);text-decoration:none;white-space:nowrap;border-bottom:2px solid transparent;margin-bottom:-1px}
.tabs a[aria-selected=true]{color:var(--accent);border-bottom-color:var(--accent);font-weight:600}
.tab{flex:1;display:flex;flex-direction:column}
.tab[hidden]{display:none}
.issues{list-style:none;margin:0;padding:0}
.issues li{padding:8px 10px;border:1px solid var(--line);border-radius:8px;background:var(--panel);margin-bottom:6px}
.issues li b{font-family:ui-monospace,monospace;font-size:12.5px}
iframe{width:100%;flex:1;min-height:480px;border:1px solid var(--line);border-radius:8px;background:#fff}
pre{margin:0;padding:14px;background:var(--panel);border:1px solid var(--line);border-radius:8px;white-space:pre-wrap;word-break:break-word}
table.kv{border-collapse:collapse;width:100%;background:var(--panel);border:1px solid var(--line);border-radius:8px}
table.kv td{padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top;word-break:break-word}
table.kv td:first-child{width:30%;color:var(--muted);font-family:ui-monospace,monospace;font-size:12.5px}
h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:16px 0 8px}
.requests-view{flex:1;overflow:auto;padding:16px 18px}
table.requests{width:100%;border-collapse:collapse;background:var(--panel);border:1px solid var(--line);border-radius:8px;font-size:13px}
table.requests th{text-align:left;font-weight:600;color:var(--muted);padding:8px 10px;border-bottom:1px solid var(--line);position:sticky;top:0;background:var(--panel)}
table.requests td{padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top;word-break:break-word}
table.requests td.path{font-family:ui-monospace,monospace;font-size:12.5px;word-break:normal;overflow-wrap:normal;min-width:16ch}
table.requests .method{font-weight:600}
table.requests .segment{white-space:nowrap}
table.requests td.time{white-space:nowrap}
.status{display:inline-block;min-width:38px;text-align:center;padding:1px 6px;border-radius:6px;font-weight:600;font-size:12px}
.status.ok{background:#e6f4ee;color:var(--green)}
.status.client{background:#fdf1e2;color:var(--amber)}
.status.server{background:#fde8e8;color:#b42318}
.status.none{background:#eef0f3;color:#4b5563}
.attachments,.ids{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.attachments a{display:flex;justify-content:space-between;gap:12px;padding:9px 12px;border:1px solid var(--line);border-radius:8px;background:var(--panel);color:var(--text);text-decoration:none}
.attachments a:hover{border-color:var(--accent)}
.ids li{font-family:ui-monospace,monospace;font-size:12.5px}

a{color:var(--accent)}
button,.button{font:inherit;font-size:13px;border:1px solid var(--line);background:#fff;color:var(--text);border-radius:7px;padding:5px 12px;cursor:pointer;text-decoration:none;white-space:nowrap}
button:hover,.button:hover{border-color:var(--accent)}
button:disabled{opacity:.5;cursor:default}
button.small{font-size:12px;padding:3px 10px}
button.danger{color:#b42318;border-color:#f3c4c0}
button.danger:hover{border-color:#b42318}
.count-bar{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:6px 14px;font-size:12px;border-bottom:1px solid var(--line)}
.load-more{margin:10px 14px}
.back{display:none}
.title-row{display:flex;gap:12px;align-items:flex-start;justify-content:space-between}
.title-row h1{min-width:0;overflow-wrap:anywhere}
.actions{display:flex;gap:6px;flex-shrink:0}
.remote-bar{display:flex;align-items:center;justify-content:space-between;gap:10px;padding:7px 10px;margin-bottom:8px;background:#fff8e6;border:1px solid #f2dfae;border-radius:8px;font-size:12.5px}
.remote-bar button[aria-pressed=true]{border-color:var(--amber)}
.scores{margin-bottom:6px}
.score{font-variant-numeric:tabular-nums}
.issues li.partial{border-style:dashed}
.issues li a{font-family:ui-monospace,monospace;font-size:12.5px;font-weight:600}
.links{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.links li{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline;padding:8px 10px;border:1px solid var(--line);border-radius:8px;background:var(--panel)}
.links .link-text{font-weight:600}
.links .link-href{overflow-wrap:anywhere}
.badge.warn{background:#fde8e8;color:#b42318}
.integration-view{flex:1;overflow:auto;padding:16px 18px;display:flex;flex-direction:column;gap:18px;max-width:980px}
.integration-view h2{font-size:15px;margin:0 0 8px;text-transform:none;letter-spacing:0;color:var(--text)}
.integration-view .grid th{width:190px;font-family:ui-monospace,monospace;font-size:12.5px}
.integration-view .grid code{overflow-wrap:anywhere}
.domains{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:8px 18px}
.sample{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin-bottom:12px}
.sample header{display:flex;justify-content:space-between;align-items:center;gap:10px;margin-bottom:8px}
.sample h2{font-size:14px;margin:0}
.sample pre{white-space:pre;overflow-x:auto;word-break:normal;background:#f8f9fb}
.sample p{margin:8px 0 0;font-size:12.5px}
@media (max-width:760px){
  .top{flex-wrap:wrap;gap:8px 12px;padding:8px 10px}
  .brand .muted,.stats{display:none}
  .views{order:3;width:100%;flex-wrap:wrap}
  .views a{flex:1 0 auto;text-align:center;padding:5px 8px}
  .live{margin-left:auto}
  .layout{grid-template-columns:1fr}
  .layout.has-message .list-pane{display:none}
  .layout:not(.has-message) .view-pane{display:none}
  .list-pane{border-right:0}
  .back{display:inline-block;font-size:13px;text-decoration:none}
  article{padding:12px;gap:10px}
  .title-row{flex-direction:column;gap:6px}
  .title-row{margin-bottom:10px}
  .actions{flex-wrap:wrap}
  .badges{flex-wrap:wrap}
  .tabs{flex-wrap:wrap;overflow-x:visible}
  .tabs a{padding:6px 9px}
  .message-head h1{font-size:18px}
  .meta{grid-template-columns:max-content minmax(0,1fr);gap:2px 10px}
  .remote-bar{flex-direction:column;align-items:flex-start}
  iframe{min-height:360px}
  table.kv td:first-child{width:38%}
  .requests-view,.account-view,.integration-view{padding:10px}
  table.requests thead{display:none}
  table.requests,table.requests tbody,table.requests tr,table.requests td{display:block;width:100%}
  table.requests tr{display:grid;grid-template-columns:auto 1fr auto;gap:2px 8px;padding:8px 10px;border-bottom:1px solid var(--line)}
  table.requests td{padding:0;border:0}
  table.requests td.path{grid-column:1/4;order:-1;min-width:0}
  table.requests td:empty{display:none}
  table.requests td[data-label=Accepted]::before{content:"accepted "}
  table.requests td[data-label=ms]::after{content:" ms"}
  table.requests td[data-label=Fault]:not(:empty)::before{content:"fault "}
  table.requests td.errors{grid-column:1/4}
  .account-view .grid{display:block;overflow-x:auto}
  .integration-view .grid th{width:auto}
}
`;
