import { createHash } from 'node:crypto';

/**
 * The owner pages' only files: one stylesheet and the small script that refreshes a repair's page.
 * Their names carry a hash of their content, so a browser may keep them for a year and a new
 * version is a new name.
 */

const CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #4a5360; --line: #d5dae1; --accent: #0b57d0; --accent-ink: #fff;
  --ok: #146c2e; --warn: #8a4b00; --bad: #b3261e; --paper: #fff; --page: #f3f5f8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--ink);
  font: 1.0625rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
.top { background: var(--paper); border-bottom: 1px solid var(--line); padding: .75rem 1rem; }
.top p { margin: 0 auto; max-width: 40rem; font-weight: 600; color: var(--muted); overflow-wrap: anywhere; }
main { display: block; max-width: 40rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.125rem; margin: 0 0 .5rem; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: .75rem; padding: 1rem; margin: 0 0 1rem; }
p { margin: 0 0 .75rem; }
p:last-child, ul:last-child, dl:last-child { margin-bottom: 0; }
ul { margin: 0 0 .75rem; padding-left: 1.25rem; }
li { margin: .25rem 0; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: minmax(7rem, max-content) 1fr; gap: .35rem 1rem; margin: 0 0 .75rem; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
a { color: var(--accent); text-underline-offset: .15em; }
a:focus-visible, button:focus-visible, textarea:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.links a { display: inline-block; padding: .5rem 0; min-height: 2.75rem; }
.note { padding: .75rem 1rem; border-radius: .5rem; border-left: .35rem solid var(--accent); background: #e8f0fe; }
.note.ok { border-color: var(--ok); background: #e6f4ea; }
.note.warn { border-color: var(--warn); background: #fef3e0; }
.note.bad { border-color: var(--bad); background: #fce8e6; }
.muted { color: var(--muted); font-size: .9375rem; }
.status { font-weight: 700; }
.timeline { list-style: none; padding: 0; border-left: 2px solid var(--line); margin-left: .4rem; }
.timeline li { position: relative; padding-left: 1rem; }
.timeline li::before { content: ""; position: absolute; left: -.45rem; top: .5rem; width: .8rem; height: .8rem;
  border-radius: 50%; background: var(--paper); border: 2px solid var(--accent); }
.timeline time { display: block; color: var(--muted); font-size: .9375rem; }
table { width: 100%; border-collapse: collapse; margin: 0 0 .75rem; }
th, td { text-align: left; padding: .4rem 0; border-bottom: 1px solid var(--line); vertical-align: top; }
td { text-align: right; white-space: nowrap; padding-left: 1rem; }
tr.pay th, tr.pay td { font-weight: 700; border-bottom: 0; }
form { margin: 0; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: .75rem; }
button { font: inherit; font-weight: 600; min-height: 3rem; min-width: 3rem; padding: .6rem 1.1rem; border-radius: .5rem;
  border: 2px solid var(--accent); background: var(--accent); color: var(--accent-ink); cursor: pointer; }
button.secondary { background: var(--paper); color: var(--accent); }
.scale { display: grid; grid-template-columns: repeat(auto-fit, minmax(3rem, 1fr)); gap: .5rem; border: 0; padding: 0; margin: .75rem 0; }
.scale legend { padding: 0; margin-bottom: .5rem; font-weight: 600; }
.scale button { width: 100%; padding: .6rem 0; }
label { display: block; font-weight: 600; margin-bottom: .35rem; }
textarea { display: block; width: 100%; min-height: 6rem; font: inherit; padding: .6rem; border: 1px solid #6b7480;
  border-radius: .5rem; color: var(--ink); background: var(--paper); }
footer { max-width: 40rem; margin: 0 auto; padding: 0 1rem 2rem; color: var(--muted); font-size: .875rem; }
`;

/** Polls the page's live part and swaps it in when the ticket's version moved; without JavaScript the page is complete. */
const LIVE_JS = `(function () {
  var live = document.getElementById('live');
  if (!live || !window.fetch) return;
  var every = 1000 * Number(live.getAttribute('data-refresh-seconds') || 10);
  var url = location.pathname.replace(/\\/$/, '') + '/live';
  function poll() {
    fetch(url, { credentials: 'omit', cache: 'no-store', headers: { 'Accept': 'text/html' } })
      .then(function (answer) {
        var version = answer.headers.get('Live-Version');
        if (!answer.ok || !version || version === live.getAttribute('data-version')) return null;
        return answer.text().then(function (fragment) {
          live.innerHTML = fragment;
          live.setAttribute('data-version', version);
        });
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, every); });
  }
  setTimeout(poll, every);
})();
`;

export interface OwnerAsset {
  /** The file's name under /o/assets/. */
  name: string;
  contentType: string;
  body: string;
}

function asset(stem: string, extension: string, contentType: string, body: string): OwnerAsset {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 10);
  return { name: `${stem}.${hash}.${extension}`, contentType, body };
}

export const OWNER_CSS = asset('owner', 'css', 'text/css; charset=utf-8', CSS);
export const LIVE_SCRIPT = asset('live', 'js', 'text/javascript; charset=utf-8', LIVE_JS);
export const OWNER_ASSETS = new Map([OWNER_CSS, LIVE_SCRIPT].map((a) => [a.name, a]));
