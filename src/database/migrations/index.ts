import { Foundation1763798400000 } from './1763798400000-foundation.js';
import { WarrantyClaims1763884800000 } from './1763884800000-warranty-claims.js';
import { Repairs1763971200000 } from './1763971200000-repairs.js';
import { Returns1764057600000 } from './1764057600000-returns.js';
import { Upgrades1764144000000 } from './1764144000000-upgrades.js';
import { UnitAccessRules1764230400000 } from './1764230400000-unit-access-rules.js';
import { IdempotencyLeases1764316800000 } from './1764316800000-idempotency-leases.js';
import { OwnerSearchIndexes1764489600000 } from './1764489600000-owner-search-indexes.js';
import { Webhooks1764576000000 } from './1764576000000-webhooks.js';
import { Outreach1764662400000 } from './1764662400000-outreach.js';
import { WebhookDueAfterLease1764748800000 } from './1764748800000-webhook-due-after-lease.js';

/** Every migration, oldest first. Never edit a committed one: add a new file. */
export const MIGRATIONS = [
  Foundation1763798400000,
  WarrantyClaims1763884800000,
  Repairs1763971200000,
  Returns1764057600000,
  Upgrades1764144000000,
  UnitAccessRules1764230400000,
  IdempotencyLeases1764316800000,
  OwnerSearchIndexes1764489600000,
  Webhooks1764576000000,
  Outreach1764662400000,
  WebhookDueAfterLease1764748800000,
];
