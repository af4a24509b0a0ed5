import { Injectable } from '@nestjs/common';
import { notFound } from '../common/errors/domain-error.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { OwnerLinks } from '../owner-pages/owner-links.js';
import { canReadOwner } from '../units/unit-visibility.js';
import { UnitsService } from '../units/units.service.js';

/**
 * Links to a unit's owner page for a receipt or a repair slip (docs/outreach.md, "Owner pages").
 * The page shows the owner's unit, so only a caller that may read the unit's owner gets one: its
 * retailer and manufacturer, and a service center while it holds the unit's open ticket. To
 * anyone else the unit is NOT_FOUND, as it is to a caller that may not see it at all.
 */
@Injectable()
export class OwnerPageUrls {
  constructor(
    private readonly units: UnitsService,
    private readonly links: OwnerLinks,
  ) {}

  async unitPageUrl(ctx: RequestContext, unitId: string, field = 'unitId'): Promise<string> {
    const unit = await this.units.visibleUnit(ctx.caller, unitId, field);
    if (!canReadOwner(ctx.caller, unit)) throw notFound('Unit', 'UNIT_NOT_FOUND', field);
    return this.links.url('unit', unit.id);
  }
}
