import type { EntityManager } from 'typeorm';
import { money } from '../../common/money/money.js';
import type { OwnerLinks } from '../../owner-pages/owner-links.js';
import type { OrganizationKind } from '../../organizations/organization.entity.js';
import type { OutreachJourneyEntity } from '../outreach.entities.js';
import type { SuppressionReason } from '../outreach.rules.js';
import { renderMessage } from '../templates/template-engine.js';
import { templatesFor } from '../templates/builtin-templates.js';
import { chooseLocale, formattingLocale } from '../templates/locale.js';
import { templateValues } from '../templates/variables.js';
import { gatherFacts, type MessageLinks } from './message-facts.js';
import type { OutreachMessageCouponView } from './outreach-event.views.js';
import type { IssuedCoupon, UnitFacts } from './sending.queries.js';

/** A message's sender, unit and owner as they are when it is sent; `reason`: why it may not go. */
export interface Recipient {
  journey: OutreachJourneyEntity;
  unit: UnitFacts;
  sender: { id: string; name: string; kind: OrganizationKind };
  /** The owner's address now, trimmed; null when there is none. */
  address: string | null;
  reason: SuppressionReason | null;
}

/** A message written out: its language, subject and bodies, and the links and coupon in them. */
export interface ComposedMessage {
  locale: string;
  subject: string;
  text: string;
  html: string;
  links: MessageLinks;
  coupon: OutreachMessageCouponView | null;
}

/**
 * The links of a message (docs/outreach.md, "Owner pages"): the unit's page and the unsubscribe
 * always; the survey and the review for those kinds. Each names the message, for click counting.
 */
export function messageLinks(
  links: OwnerLinks,
  journey: Pick<OutreachJourneyEntity, 'kind'>,
  unitId: string,
  messageId: string,
  now: Date,
): MessageLinks {
  const opts = { messageId, now };
  return {
    ownerPage: links.url('unit', unitId, opts),
    unsubscribe: links.url('unsubscribe', messageId, opts),
    survey: journey.kind === 'SURVEY' ? links.url('survey', messageId, opts) : null,
    review: journey.kind === 'REVIEW_REQUEST' ? links.url('review', messageId, opts) : null,
  };
}

/**
 * Writes a message: the template in the owner's language (or the nearest: pt-BR → pt → en), its
 * variables from the facts at this moment, dates and money the way the owner's locale writes them.
 */
export async function compose(
  em: EntityManager,
  input: Pick<Recipient, 'journey' | 'unit' | 'sender'> & {
    /** The locale asked for: the owner's, or the one a preview asks for. */
    ownerLocale: string | null | undefined;
    links: MessageLinks;
    coupon: IssuedCoupon | null;
    now: Date;
  },
): Promise<ComposedMessage> {
  const templates = templatesFor(input.journey);
  const locale = chooseLocale(
    input.ownerLocale,
    templates.map((t) => t.locale),
  );
  const coupon = couponView(input.coupon);
  const facts = await gatherFacts(em, { ...input, locale, coupon });
  // the built-in words depend on whether there are resources to list, known once the facts are
  const chosen = templatesFor(input.journey, (facts.resources ?? []).length > 0);
  const template = chosen.find((t) => t.locale === locale) ?? chosen[0];
  const rendered = renderMessage(template, templateValues(facts, formattingLocale(input.ownerLocale, locale)));
  return { locale, ...rendered, links: input.links, coupon };
}

function couponView(coupon: IssuedCoupon | null): OutreachMessageCouponView | null {
  if (!coupon) return null;
  const { code, expiresOn, discountPercent, discountAmount, discountCurrency } = coupon;
  return {
    code,
    expiresOn,
    discountPercent,
    // written with the currency's decimals (the column keeps four): 20.00, not 20.0000
    discountAmount:
      discountAmount !== null && discountCurrency !== null ? money(discountAmount, discountCurrency) : null,
  };
}
