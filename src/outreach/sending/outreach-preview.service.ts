import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Caller } from '../../common/auth/caller.js';
import { toCalendarDate } from '../../common/dates/calendar-date.js';
import { badInput, notFound } from '../../common/errors/domain-error.js';
import { newId } from '../../common/ids.js';
import { OwnerLinks } from '../../owner-pages/owner-links.js';
import type { OutreachJourneyEntity } from '../outreach.entities.js';
import { isValidLocale } from '../templates/locale.js';
import { couponExpiresOn, sampleCouponCode } from './coupon-code.js';
import { compose, messageLinks } from './message-composer.js';
import * as q from './sending.queries.js';
import type { IssuedCoupon, UnitFacts } from './sending.queries.js';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

/** Whether the unit is one the journey reaches: sold (retailer) or made (manufacturer) by the sender, and through its filters. */
function inAudience(journey: OutreachJourneyEntity, senderKind: string, unit: UnitFacts): boolean {
  const ofSender =
    senderKind === 'RETAILER' ? unit.retailerId === journey.senderId : unit.manufacturerId === journey.senderId;
  const category = journey.productCategories.length === 0 || journey.productCategories.includes(unit.category);
  return ofSender && category && !(journey.onlyWithoutServicePlan && unit.hasServicePlan);
}

/**
 * previewOutreach (docs/outreach.md): the message a journey would send to a unit's owner today,
 * written as the sender would write it, with nothing stored: no message, no coupon (a sample code
 * stands in). The owner's page link is real; the message's own links (unsubscribe, survey,
 * review) are signed for a message that does not exist, so following one changes nothing.
 */
@Injectable()
export class OutreachPreview {
  constructor(
    private readonly db: DataSource,
    private readonly links: OwnerLinks,
  ) {}

  async render(caller: Caller, journeyId: string, unitId: string, locale?: string | null): Promise<RenderedMessage> {
    if (locale !== undefined && locale !== null && !isValidLocale(locale))
      throw badInput('locale', 'locale must be a BCP 47 language tag such as "en", "sv" or "pt-BR".');
    const em = this.db.manager;
    const journey = await q.findJourney(em, journeyId);
    // another organization's journey is as unknown as one that does not exist
    if (!journey || journey.senderId !== caller.organizationId)
      throw notFound('Outreach journey', undefined, 'journeyId');
    const sender = await q.findOrganization(em, journey.senderId);
    const unit = await q.findUnitFacts(em, unitId);
    if (!sender || !unit || !inAudience(journey, sender.kind, unit)) throw notFound('Unit', undefined, 'unitId');
    const now = new Date();
    const links = messageLinks(this.links, journey, unit.id, newId(), now);
    const { subject, text, html } = await compose(em, {
      journey,
      unit,
      sender: { id: journey.senderId, ...sender },
      ownerLocale: locale ?? unit.owner?.locale,
      links: { ...links, ownerPage: this.links.url('unit', unit.id, { now }) },
      coupon: sampleCoupon(journey, now),
      now,
    });
    return { subject, text, html };
  }
}

function sampleCoupon(journey: OutreachJourneyEntity, now: Date): IssuedCoupon | null {
  const spec = journey.coupon;
  if (!spec) return null;
  return {
    code: sampleCouponCode(spec.prefix),
    expiresOn: couponExpiresOn(toCalendarDate(now), spec.validDays),
    discountPercent: spec.discountPercent,
    discountAmount: spec.discountAmount,
    discountCurrency: spec.discountCurrency,
  };
}
