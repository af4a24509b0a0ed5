import { ErrorCode } from '../../common/errors/error-code.js';
import type { StoredTemplate } from '../outreach.entities.js';
import { renderMessage, validateTemplates } from './template-engine.js';
import type { TemplateValues } from './variables.js';

const template = (body: string, subject = 'Hello {{ owner.name }}', locale = 'en'): StoredTemplate => ({
  locale,
  subject,
  body,
});

const VALUES: TemplateValues = {
  owner: { name: 'Anna' },
  product: { name: 'Aurora X2', sku: 'AX2' },
  unit: { serialNumber: 'SN-1', purchaseDate: 'March 5, 2025' },
  warranty: { endsAt: 'March 4, 2027', coveredUntil: 'March 4, 2029' },
  sender: { name: 'Casa Bella' },
  links: {
    ownerPage: 'https://care.example.com/o/page?x=1&y=2',
    unsubscribe: 'https://care.example.com/o/unsubscribe',
    survey: '',
    review: '',
  },
  coupon: { code: '', expiresOn: '', discount: '' },
  resources: '',
  returnPolicy: { summary: '' },
  upgrade: { programName: '', tradeInValue: '' },
};

const valuesWith = (owner: string, product = 'Aurora X2'): TemplateValues => ({
  ...VALUES,
  owner: { name: owner },
  product: { ...VALUES.product, name: product },
});

describe('validateTemplates', () => {
  it('accepts text with known variables, and no templates at all', () => {
    expect(
      validateTemplates([template('Hi {{ owner.name }}, your {{product.name}} ({{ unit.serialNumber }})')]),
    ).toBeNull();
    expect(validateTemplates([template('{{- owner.name -}}'), template('No variables.', 'Hi', 'it')])).toBeNull();
    expect(validateTemplates([])).toBeNull();
  });

  it('refuses an unknown variable as TEMPLATE_INVALID, naming the field and the variable', () => {
    const error = validateTemplates([template('Hi'), template('Hi {{ owner.nam }}', 'Ciao', 'it')]);
    expect(error).toMatchObject({ errorCode: ErrorCode.TEMPLATE_INVALID, field: 'templates[1].body' });
    expect(error!.message).toContain('{{ owner.nam }}');
    expect(error!.message).toContain('owner.name');
  });

  it('names the subject, under the prefix it is given', () => {
    expect(validateTemplates([template('Hi', 'For {{ customer.name }}')], 'input.templates')).toMatchObject({
      errorCode: ErrorCode.TEMPLATE_INVALID,
      field: 'input.templates[0].subject',
    });
  });

  it.each([
    '{{ owner }}',
    '{{ constructor }}',
    '{{ owner.__proto__ }}',
    '{{ owner.name.size }}',
    '{{ "text" }}',
    "{{ owner['name'] }}",
    '{{ owner.name, product.name }}',
    '{{ owner. }}',
    '{{ owner.name == "x" }}',
    '{{ (1..3) }}',
  ])('refuses %s: only a known variable may be output', (body) => {
    expect(validateTemplates([template(body)])).toMatchObject({
      errorCode: ErrorCode.TEMPLATE_INVALID,
      field: 'templates[0].body',
    });
  });

  it.each([
    '{{ owner.name',
    'Hi {{ owner.name }',
    'Hi owner.name }}',
    '{{{ owner.name }}}',
    '{{ owner.name }}}',
    '{{ }}',
    'a {{ b {{ owner.name }} c',
    '{% if',
  ])('refuses a broken brace: %s', (body) => {
    expect(validateTemplates([template(body)])).toMatchObject({
      errorCode: ErrorCode.TEMPLATE_INVALID,
      field: 'templates[0].body',
    });
  });

  it.each([
    '{% if owner.name %}Hi{% endif %}',
    '{% raw %}{{ owner.name }}{% endraw %}',
    '{%- liquid echo owner.name -%}',
    '{% include "secrets" %}',
    '{% assign x = 1 %}',
    '{% comment %}note{% endcomment %}',
    '{% unknowntag %}',
  ])('refuses a tag: %s', (body) => {
    const error = validateTemplates([template(body)]);
    expect(error).toMatchObject({ errorCode: ErrorCode.TEMPLATE_INVALID, field: 'templates[0].body' });
  });

  it.each(['{{ owner.name | upcase }}', '{{ owner.name | }}', '{{ owner.name | nosuchfilter }}'])(
    'refuses a filter: %s',
    (body) => {
      const error = validateTemplates([template(body)]);
      expect(error).toMatchObject({ errorCode: ErrorCode.TEMPLATE_INVALID, field: 'templates[0].body' });
    },
  );

  it('says which line the problem is on', () => {
    expect(validateTemplates([template('Hello\n\n{{ owner.nam }}')])!.message).toContain('line 3');
  });

  it('refuses an empty subject or body as VALIDATION_ERROR, naming it', () => {
    expect(validateTemplates([template('Hi', '')])).toMatchObject({
      errorCode: ErrorCode.VALIDATION_ERROR,
      field: 'templates[0].subject',
    });
    expect(validateTemplates([template('Hi'), template(' \n ', 'Hej', 'sv')])).toMatchObject({
      errorCode: ErrorCode.VALIDATION_ERROR,
      field: 'templates[1].body',
    });
  });

  it('refuses a subject on two lines and parts that are too long', () => {
    expect(validateTemplates([template('Hi', 'Hello\nBcc: x@example.com')])).toMatchObject({
      errorCode: ErrorCode.VALIDATION_ERROR,
      field: 'templates[0].subject',
    });
    expect(validateTemplates([template('Hi', 'x'.repeat(251))])?.field).toBe('templates[0].subject');
    expect(validateTemplates([template('x'.repeat(20_001))])?.field).toBe('templates[0].body');
  });

  it('refuses a second template for one locale, in any case', () => {
    expect(
      validateTemplates([template('Hi'), template('Ciao', 'Ciao', 'it'), template('Hello', 'Hello', 'EN')]),
    ).toMatchObject({
      errorCode: ErrorCode.VALIDATION_ERROR,
      field: 'templates[2].locale',
    });
  });

  it('refuses a locale that is not a BCP 47 tag', () => {
    for (const locale of ['', 'english', 'en_US', 'e']) {
      expect(validateTemplates([template('Hi', 'Hi', locale)])).toMatchObject({
        errorCode: ErrorCode.VALIDATION_ERROR,
        field: 'templates[0].locale',
      });
    }
  });

  it('refuses more than 30 templates before looking at any', () => {
    const many = Array.from({ length: 31 }, () => template('Hi'));
    expect(validateTemplates(many)).toMatchObject({ errorCode: ErrorCode.VALIDATION_ERROR, field: 'templates' });
  });
});

describe('renderMessage', () => {
  const hostile = '<script>alert(1)</script>';

  it('leaves out a line whose every variable is empty, and keeps lines with some value or none at all', () => {
    const message = renderMessage(
      template(
        'Hello {{ owner.name }},\nTrade in through {{ upgrade.programName }} for {{ upgrade.tradeInValue }}.\nCode: {{ coupon.code }}\nSerial {{ unit.serialNumber }}, {{ coupon.code }}\nThanks.',
      ),
      VALUES,
    );
    expect(message.text).toBe(
      'Hello Anna,\nSerial SN-1,\nThanks.\n\nIf you’d rather not receive these emails, you can unsubscribe here: https://care.example.com/o/unsubscribe',
    );
  });

  it('puts values in the text as they are and escapes them in the HTML', () => {
    const message = renderMessage(
      template('Hello {{ owner.name }},\n\nabout your {{ product.name }}.'),
      valuesWith(hostile, 'Tom & Jerry\'s "Best"'),
    );
    expect(message.text).toContain(`Hello ${hostile},`);
    expect(message.text).toContain('about your Tom & Jerry\'s "Best".');
    expect(message.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(message.html).toContain('Tom &amp; Jerry&#39;s &quot;Best&quot;');
    expect(message.html).not.toContain('<script');
  });

  it('escapes the subject in the title and keeps it on one line', () => {
    const message = renderMessage(
      template('Hi', 'For {{ owner.name }}'),
      valuesWith(`${hostile}\r\nBcc: x@example.com`),
    );
    expect(message.subject).toBe(`For ${hostile} Bcc: x@example.com`);
    expect(message.html).toContain('<title>For &lt;script&gt;alert(1)&lt;/script&gt; Bcc: x@example.com</title>');
  });

  it('makes http(s) addresses links, with the href escaped and the sentence’s full stop left out', () => {
    const message = renderMessage(
      template('Your page: {{ links.ownerPage }}.\nAlso http://plain.example.com/a_(b) now.'),
      VALUES,
    );
    expect(message.html).toContain(
      'Your page: <a href="https://care.example.com/o/page?x=1&amp;y=2" style="color:#0b57d0;text-decoration:underline;word-break:break-all;">https://care.example.com/o/page?x=1&amp;y=2</a>.',
    );
    expect(message.html).toContain('<a href="http://plain.example.com/a_(b)"');
  });

  it('makes nothing else a link, and a value cannot break out of an href', () => {
    const sneaky =
      'javascript:alert(1) ftp://files.example.com mailto:x@example.com https://evil.example.com/"onmouseover="alert(1)';
    const message = renderMessage(template('Hi {{ owner.name }}'), valuesWith(sneaky));
    expect(message.html.match(/<a /g)).toHaveLength(2); // the evil address up to its quote, and the unsubscribe link
    expect(message.html).toContain('<a href="https://evil.example.com/"');
    expect(message.html).toContain('&quot;onmouseover=&quot;alert(1)');
    expect(message.html).not.toContain('href="javascript');
    expect(message.html).not.toContain('href="ftp');
    expect(message.html).not.toContain('href="mailto');
  });

  it('sets lang and makes paragraphs from blank lines, line breaks inside them', () => {
    const message = renderMessage(
      template('Hej {{ owner.name }}!\n\nRad ett\nRad två\n\n\n\nSlut', 'Hej', 'sv'),
      VALUES,
    );
    expect(message.html).toContain('<html lang="sv">');
    expect(message.html).toContain('<p style="margin:0 0 16px 0;">Hej Anna!</p>');
    expect(message.html).toContain('<p style="margin:0 0 16px 0;">Rad ett<br>\nRad två</p>');
    expect(message.html.match(/<p /g)).toHaveLength(4); // three paragraphs and the unsubscribe line
  });

  it('makes a small, self-contained document: inline styles, no scripts, nothing loaded from elsewhere', () => {
    const { html } = renderMessage(template('Hello {{ owner.name }}'), VALUES);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<script|<link|<style|<img|src=|url\(|@import/i);
  });

  it('tidies the text: no runs of blank lines where a value was empty, no trailing spaces', () => {
    const { text } = renderMessage(template('Hello  \n\n{{ resources }}\n\n\nBye\n'), VALUES);
    expect(text).toBe(
      'Hello\n\nBye\n\nIf you’d rather not receive these emails, you can unsubscribe here: https://care.example.com/o/unsubscribe',
    );
  });

  it("adds the unsubscribe line in the template's language when the template has none, once", () => {
    const italian = renderMessage(template('Gentile {{ owner.name }},\n\ngrazie.', 'Ciao', 'it-CH'), VALUES);
    expect(italian.text.endsWith('può annullare l’iscrizione qui: https://care.example.com/o/unsubscribe')).toBe(true);
    const own = renderMessage(template('Hi.\n\nStop: {{ links.unsubscribe }}'), VALUES);
    expect(own.text.split('https://care.example.com/o/unsubscribe')).toHaveLength(2);
    expect(own.text.endsWith('Stop: https://care.example.com/o/unsubscribe')).toBe(true);
    const unknownLanguage = renderMessage(template('Olá.', 'Olá', 'pt-BR'), VALUES);
    expect(unknownLanguage.text).toContain('you can unsubscribe here: https://care.example.com/o/unsubscribe');
    expect(unknownLanguage.html).toContain('<html lang="pt-BR">');
  });

  it('refuses to render a template that does not validate', () => {
    expect(() => renderMessage(template('{{ owner.name | upcase }}'), VALUES)).toThrow('filter');
    expect(() => renderMessage(template('{% if x %}{% endif %}'), VALUES)).toThrow('tag');
  });
});
