import { Liquid, Output, Tag, type Template } from 'liquidjs';
import { ErrorCode } from '../../common/errors/error-code.js';
import { GenericError, validationError } from '../../common/errors/error-results.js';
import type { StoredTemplate } from '../outreach.entities.js';
import { outreachLanguage } from './builtin-templates.js';
import { emailHtml } from './email-html.js';
import { isValidLocale } from './locale.js';
import { TEMPLATE_VARIABLES, type TemplateValues } from './variables.js';

/**
 * Templates are Liquid text ("Hello {{ owner.name }}"), read and rendered by liquidjs, but nothing of
 * Liquid beyond the plain output of a known variable is allowed: no tags, no filters, no literals, no
 * expressions. liquidjs can be held to that: its parse tree tells tags from output. Its expression reader
 * is lenient, though ({{ a.b, x }}, {{ a.b | }} and {{ a. }} parse without complaint), so the source of
 * each output is also checked to be exactly one dotted name from TEMPLATE_VARIABLES. Rendering uses
 * strictVariables and strictFilters, so a value that is somehow missing fails loudly instead of vanishing.
 */
const liquid = new Liquid({ strictVariables: true, strictFilters: true, ownPropertyOnly: true });

const KNOWN_VARIABLES: ReadonlySet<string> = new Set(TEMPLATE_VARIABLES);
/** Left in the text around outputs, these mean a brace that does not pair up. */
const STRAY_DELIMITER = /\{\{|\}\}|\{%|%\}/;

const MAX_TEMPLATES = 30;
const MAX_LENGTH = { subject: 250, body: 20_000 } as const;

export interface RenderedTemplate {
  subject: string;
  text: string;
  html: string;
}

const lineOf = (source: string, offset: number) => source.slice(0, offset).split('\n').length;
const shorten = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}...` : text);

/** What is wrong with one node of a parsed template, if anything. */
function nodeProblem(node: Template, source: string): string | null {
  const line = lineOf(source, node.token.begin);
  if (node instanceof Tag) {
    return `uses the tag {% ${shorten(node.token.name)} %} on line ${line}; a template holds text and {{ variables }} only`;
  }
  if (node instanceof Output) {
    const content = node.token.content.trim();
    if (content.includes('|'))
      return `uses a filter in {{ ${shorten(content)} }} on line ${line}; filters are not supported`;
    if (!KNOWN_VARIABLES.has(content)) {
      return `uses {{ ${shorten(content)} }} on line ${line}, which is not a known variable (known: ${TEMPLATE_VARIABLES.join(', ')})`;
    }
    return null;
  }
  return STRAY_DELIMITER.test(node.token.getText()) ? `has a brace that does not pair up on line ${line}` : null;
}

/** The template parsed, or what is wrong with it. */
function parseTemplate(source: string): { nodes: Template[] } | { problem: string } {
  if (/\{\{\{|\}\}\}/.test(source)) return { problem: 'has a brace that does not pair up ({{{ or }}})' };
  let nodes: Template[];
  try {
    nodes = liquid.parse(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'unreadable';
    return { problem: `does not parse (a brace that is not closed?): ${reason}` };
  }
  for (const node of nodes) {
    const problem = nodeProblem(node, source);
    if (problem) return { problem };
  }
  return { nodes };
}

/** Parsed templates by their text: the same few are rendered for every message of a journey. */
const parsed = new Map<string, Template[]>();

function compiled(source: string): Template[] {
  let nodes = parsed.get(source);
  if (nodes) return nodes;
  const result = parseTemplate(source);
  if ('problem' in result) throw new Error(`An outreach template cannot be rendered: it ${result.problem}.`);
  if (parsed.size >= 1000) parsed.clear();
  parsed.set(source, (nodes = result.nodes));
  return nodes;
}

function partError(template: StoredTemplate, part: 'subject' | 'body', field: string): GenericError | null {
  const source: unknown = template[part];
  if (typeof source !== 'string' || source.trim() === '') return validationError(field, `${field} must not be empty.`);
  if (source.length > MAX_LENGTH[part]) {
    return validationError(field, `${field} is longer than ${MAX_LENGTH[part]} characters.`);
  }
  if (part === 'subject' && /[\r\n]/.test(source)) return validationError(field, `${field} must be a single line.`);
  const result = parseTemplate(source);
  return 'problem' in result
    ? new GenericError(ErrorCode.TEMPLATE_INVALID, `${field} ${result.problem}.`, field)
    : null;
}

function templateError(template: StoredTemplate, field: string, locales: Set<string>): GenericError | null {
  if (!isValidLocale(template.locale)) {
    return validationError(`${field}.locale`, `${field}.locale must be a BCP 47 language tag such as "en" or "pt-BR".`);
  }
  const locale = Intl.getCanonicalLocales(template.locale)[0].toLowerCase();
  if (locales.has(locale)) {
    return validationError(`${field}.locale`, `${field}.locale: there is already a template for "${template.locale}".`);
  }
  locales.add(locale);
  return partError(template, 'subject', `${field}.subject`) ?? partError(template, 'body', `${field}.body`);
}

/**
 * Checks a journey's templates: VALIDATION_ERROR for a missing subject or body, a locale that is not BCP 47
 * or a second template for one locale; TEMPLATE_INVALID for an unknown variable, a tag or filter, or a brace
 * that does not pair up. The error names the field (templates[1].body). null: all good.
 */
export function validateTemplates(templates: StoredTemplate[], fieldPrefix = 'templates'): GenericError | null {
  if (templates.length > MAX_TEMPLATES) {
    return validationError(fieldPrefix, `${fieldPrefix} may hold at most ${MAX_TEMPLATES} templates.`);
  }
  const locales = new Set<string>();
  for (const [index, template] of templates.entries()) {
    const error = templateError(template, `${fieldPrefix}[${index}]`, locales);
    if (error) return error;
  }
  return null;
}

const render = (source: string, values: TemplateValues): string => String(liquid.renderSync(compiled(source), values));

const OUTPUT = /\{\{-?\s*([\w.]+)\s*-?\}\}/g;

function valueOf(values: TemplateValues, name: string): string {
  let value: unknown = values;
  for (const part of name.split('.')) value = Object.hasOwn(value as object, part) ? (value as never)[part] : '';
  return typeof value === 'string' ? value : '';
}

/**
 * Templates have no conditionals, so a line whose every variable is empty is left out rather than sent
 * half-written ("Warranty until: " for a product without one, a trade-in offer with no program).
 */
function withoutEmptyLines(source: string, values: TemplateValues): string {
  return source
    .split('\n')
    .filter((line) => {
      const names = [...line.matchAll(OUTPUT)].map((match) => match[1]);
      return names.length === 0 || names.some((name) => valueOf(values, name).trim() !== '');
    })
    .join('\n');
}

/** Line breaks as \n, no trailing spaces, at most one blank line in a row (an empty list leaves none behind). */
const tidy = (text: string): string =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/** Every message carries its unsubscribe link in the body (OUTREACH.md); a journey's own template may lack it. */
function withUnsubscribeLine(text: string, locale: string, values: TemplateValues): string {
  const link = values.links.unsubscribe;
  if (link === '' || text.includes(link)) return text;
  return `${text}\n\n${render(outreachLanguage(locale).unsubscribeLine, values)}`;
}

/**
 * A message from a template and its values: the subject on one line; the text with the values as they
 * are (and the unsubscribe line added when the template has none); the HTML part made from the text, every
 * value escaped, http(s) addresses clickable, `lang` the template's locale.
 */
export function renderMessage(template: StoredTemplate, vars: TemplateValues): RenderedTemplate {
  const subject = render(template.subject, vars).replace(/\s+/g, ' ').trim();
  const text = withUnsubscribeLine(tidy(render(withoutEmptyLines(template.body, vars), vars)), template.locale, vars);
  const lang = isValidLocale(template.locale) ? template.locale : 'en';
  return { subject, text, html: emailHtml({ lang, title: subject, text }) };
}
