import { SCALE_RANGE } from '../outreach/outreach.rules.js';
import { MAX_SURVEY_COMMENT_LENGTH } from '../outreach/surveys.service.js';
import type { StoredSurveySpec } from '../outreach/outreach.entities.js';
import type { OwnerText } from './texts/owner-text.js';
import { html } from './views/html.js';
import { layout } from './views/layout.js';

/** The pages a message's links open besides the unit's: the survey, unsubscribe and preferences. */

export interface SurveyForm {
  survey: StoredSurveySpec;
  senderName: string;
  /** What the owner typed, shown again when the answer was refused. */
  comment?: string;
  error?: string;
}

/** The scale as buttons (each one sends its score), the comment first when the journey asks for one. */
export function renderSurveyPage(text: OwnerText, form: SurveyForm): string {
  const { min, max } = SCALE_RANGE[form.survey.scale];
  const scores = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const body = html`${form.error ? html`<p class="note bad" role="alert">${form.error}</p>` : ''}
    <section>
      <form method="post" action="">
        ${
          form.survey.askComment
            ? html`<label for="comment">${text.commentLabel}</label>
                <textarea
                  id="comment"
                  name="comment"
                  maxlength="${MAX_SURVEY_COMMENT_LENGTH}"
                  aria-describedby="comment-hint"
                >
${form.comment ?? ''}</textarea>
                <p id="comment-hint" class="muted">${text.commentHint}</p>`
            : ''
        }
        <fieldset class="scale" aria-describedby="scale-hint">
          <legend>${form.survey.question}</legend>
          ${scores.map((score) => html`<button type="submit" name="score" value="${score}">${score}</button>`)}
        </fieldset>
        <p id="scale-hint" class="muted">${form.survey.scale === 'NPS' ? text.npsHint : text.csatHint}</p>
      </form>
    </section>`;
  return layout({ text, title: text.surveyTitle, brand: form.senderName, body });
}

export function renderSurveyThanks(text: OwnerText, senderName: string, already: boolean): string {
  const body = html`<p class="note ok" role="status">${already ? text.alreadyAnsweredBody : text.thanksBody}</p>`;
  return layout({ text, title: text.thanksTitle, brand: senderName, body });
}

export interface SubscriptionView {
  senderName: string;
  unsubscribed: boolean;
  preferencesUrl: string;
  /** What was just done, if anything. */
  done?: 'unsubscribed' | 'resubscribed';
}

/** The unsubscribe page: a question and one button; once done, a way back through the preferences. */
export function renderUnsubscribePage(text: OwnerText, v: SubscriptionView): string {
  const body = v.unsubscribed
    ? html`<p class="note ok" role="status">${text.unsubscribedBody(v.senderName)}</p>
        <p class="links"><a href="${v.preferencesUrl}">${text.managePreferences}</a></p>`
    : html`<section>
        <p>${text.unsubscribeQuestion(v.senderName)}</p>
        <form method="post" action="">
          <div class="actions">
            <button type="submit" name="action" value="unsubscribe">${text.unsubscribeButton}</button>
          </div>
        </form>
      </section>`;
  return layout({ text, title: text.unsubscribeTitle, brand: v.senderName, body });
}

/** The preferences page: whether the sender may write, and the button that turns it around. */
export function renderPreferencesPage(text: OwnerText, v: SubscriptionView): string {
  const state = v.unsubscribed ? text.unsubscribedState(v.senderName) : text.subscribedState(v.senderName);
  const doneNote =
    v.done === 'resubscribed'
      ? html`<p class="note ok" role="status">${text.resubscribedBody(v.senderName)}</p>`
      : v.done === 'unsubscribed'
        ? html`<p class="note ok" role="status">${text.unsubscribedBody(v.senderName)}</p>`
        : '';
  const body = html`${doneNote}
    <section>
      <p>${state}</p>
      <form method="post" action="">
        <div class="actions">
          ${
            v.unsubscribed
              ? html`<button type="submit" name="action" value="resubscribe">${text.resubscribeButton}</button>`
              : html`<button type="submit" name="action" value="unsubscribe" class="secondary">
                  ${text.unsubscribeButton}
                </button>`
          }
        </div>
      </form>
    </section>`;
  return layout({ text, title: text.preferencesTitle, brand: v.senderName, body });
}
