import type { OwnerText } from '../texts/owner-text.js';
import { LIVE_SCRIPT, OWNER_CSS } from './assets.js';
import { html, type Html } from './html.js';

export interface Shell {
  text: OwnerText;
  /** The page's title and first heading. */
  title: string;
  /** Who the page is from (the shop or manufacturer), shown above it. */
  brand?: string | null;
  /** Loads the live-refresh script (the repair page). */
  live?: boolean;
  body: Html;
  /** Says that the page is the owner's own (not on pages that show nothing of theirs). */
  private?: boolean;
}

/**
 * The frame of every owner page: its language, the one stylesheet, the script only where a page
 * refreshes itself. Asset paths are relative (the page is /o/<token>), so a PUBLIC_URL with a path works.
 */
export function layout(shell: Shell): string {
  const { text } = shell;
  return html`<!doctype html>
    <html lang="${text.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${shell.title}</title>
        <link rel="stylesheet" href="assets/${OWNER_CSS.name}" />
        ${shell.live ? html`<script src="assets/${LIVE_SCRIPT.name}" defer></script>` : ''}
      </head>
      <body>
        ${shell.brand ? html`<header class="top"><p>${shell.brand}</p></header>` : ''}
        <main>
          <h1>${shell.title}</h1>
          ${shell.body}
        </main>
        ${shell.private === false ? '' : html`<footer><p>${text.privateNote}</p></footer>`}
      </body>
    </html> `.value;
}

/** A page that only says something: a link that is not valid, too many requests, a form that did not arrive. */
export function messagePage(text: OwnerText, title: string, message: string, tone: 'bad' | 'warn' = 'bad'): string {
  return layout({ text, title, private: false, body: html`<p class="note ${tone}">${message}</p>` });
}
