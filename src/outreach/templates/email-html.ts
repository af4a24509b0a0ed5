/**
 * The HTML part of a message, made from its text: a small document mail clients show alike (tables for
 * the layout, inline styles only, nothing loaded from elsewhere), paragraphs from blank lines, http(s)
 * addresses as links, and every character of the text escaped.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => ESCAPES[character]);

/** Candidates: http(s):// up to a space, or a character that cannot be in an address written in text. */
const URL_CANDIDATE = /https?:\/\/[^\s<>"'`«»“”‘’]+/gi;
const TRAILING_PUNCTUATION = '.,;:!?';

const count = (text: string, character: string) => text.split(character).length - 1;

/** An address at the end of a sentence ("… here: https://x.test/a.") ends before its punctuation or unmatched ")". */
function withoutTrailingPunctuation(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.at(-1) ?? '';
    const unmatchedParenthesis = last === ')' && count(url, ')') > count(url, '(');
    if (!TRAILING_PUNCTUATION.includes(last) && !unmatchedParenthesis) return url;
    url = url.slice(0, -1);
  }
}

function isWebAddress(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
  } catch {
    return false;
  }
}

const LINK_STYLE = 'color:#0b57d0;text-decoration:underline;word-break:break-all;';

/** One line of text as HTML: escaped, with its http(s) addresses made links. */
export function lineHtml(line: string): string {
  let html = '';
  let done = 0;
  for (const match of line.matchAll(URL_CANDIDATE)) {
    const url = withoutTrailingPunctuation(match[0]);
    if (!isWebAddress(url)) continue;
    const href = escapeHtml(url);
    html += `${escapeHtml(line.slice(done, match.index))}<a href="${href}" style="${LINK_STYLE}">${href}</a>`;
    done = match.index + url.length;
  }
  return html + escapeHtml(line.slice(done));
}

/** Paragraphs are separated by blank lines; the lines inside one keep their breaks. */
function paragraphsHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.replace(/^\n+|\n+$/g, ''))
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) => `<p style="margin:0 0 16px 0;">${paragraph.split('\n').map(lineHtml).join('<br>\n')}</p>`)
    .join('\n');
}

const FONT = 'font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2328;';

/** The whole HTML part: `lang` for screen readers and spell-checkers, the subject as its title. */
export function emailHtml({ lang, title, text }: { lang: string; title: string; text: string }): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background-color:#f4f4f5;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">',
    '<tr><td align="center" style="padding:24px 12px;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;">',
    `<tr><td style="padding:28px 32px;${FONT}">`,
    paragraphsHtml(text),
    '</td></tr>',
    '</table>',
    '</td></tr>',
    '</table>',
    '</body>',
    '</html>',
  ].join('\n');
}
