import { classifyFailure, credentialsOf, failureText } from './email-failure.js';

const smtpError = (fields: Record<string, unknown>) =>
  Object.assign(new Error(String(fields.message ?? 'failed')), fields);

describe('email failures', () => {
  const secrets = credentialsOf('smtps://mailer%40shop.example:p%40ss%3Aword@smtp.shop.example:465');

  it('knows the credentials of an SMTP URL as written and as decoded', () => {
    expect(secrets).toEqual(
      expect.arrayContaining(['mailer%40shop.example', 'mailer@shop.example', 'p%40ss%3Aword', 'p@ss:word']),
    );
    expect(credentialsOf('smtp://smtp.shop.example:25')).toEqual([]);
    expect(credentialsOf(undefined)).toEqual([]);
  });

  it('never repeats the credentials, even when the server echoes them', () => {
    const error = smtpError({
      code: 'EAUTH',
      command: 'AUTH PLAIN',
      responseCode: 535,
      response: '535 5.7.8 credentials mailer@shop.example / p@ss:word rejected\r\nX-Injected: 1',
    });
    const outcome = classifyFailure(error, secrets);
    expect(outcome).toEqual({
      kind: 'temporary',
      error: 'AUTH PLAIN: 535 5.7.8 credentials *** / *** rejected X-Injected: 1',
    });
  });

  it('refuses the recipient only for a 5xx about the mailbox', () => {
    const rcpt = smtpError({
      code: 'EENVELOPE',
      command: 'RCPT TO',
      responseCode: 550,
      response: '550 5.1.1 unknown user',
    });
    const dataMailbox = smtpError({
      code: 'EMESSAGE',
      command: 'DATA',
      responseCode: 550,
      response: '550 5.2.1 mailbox disabled',
    });
    const dataContent = smtpError({ code: 'EMESSAGE', command: 'DATA', responseCode: 554, response: '554 5.7.1 spam' });
    const badSequence = smtpError({
      code: 'EENVELOPE',
      command: 'RCPT TO',
      responseCode: 503,
      response: '503 bad sequence',
    });
    const later = smtpError({
      code: 'EENVELOPE',
      command: 'RCPT TO',
      responseCode: 450,
      response: '450 4.2.0 greylisted',
    });
    const sender = smtpError({
      code: 'EENVELOPE',
      command: 'MAIL FROM',
      responseCode: 553,
      response: '553 5.1.8 bad sender',
    });
    expect(classifyFailure(rcpt, []).kind).toBe('refused');
    expect(classifyFailure(dataMailbox, []).kind).toBe('refused');
    for (const error of [dataContent, badSequence, later, sender])
      expect(classifyFailure(error, []).kind).toBe('temporary');
  });

  it('describes a connection failure by its code and message, on one short line', () => {
    expect(failureText(smtpError({ code: 'ESOCKET', message: 'connect ECONNREFUSED 10.0.0.1:25' }), [])).toBe(
      'ESOCKET: connect ECONNREFUSED 10.0.0.1:25',
    );
    expect(failureText(smtpError({ message: 'x'.repeat(1000) }), [])).toHaveLength(300);
    expect(classifyFailure(undefined, []).kind).toBe('temporary');
  });
});
