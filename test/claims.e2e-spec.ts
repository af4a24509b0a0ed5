import {
  assertSuccess,
  createProduct,
  createTenant,
  gql,
  registerUnit,
  rest,
  uniqueSerial,
  type Tenant,
} from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const CLAIM_FIELDS = `__typename ... on WarrantyClaim { id number status flags version failureDate
  requestedTotal { amount currency } approvedTotal { amount currency } coverage { source name }
  lines { kind quantity unitAmount { amount } total { amount currency } }
  history { from to reasonCode note actor { id } } unit { id } claimant { id } manufacturer { id } }
  ... on ErrorResult { errorCode message } ... on GenericError { field }`;
const TRANSITION_ERRORS = `... on VersionConflictError { currentVersion } ... on InvalidStateTransitionError { fromState toState allowedStates }`;
const SUBMIT = `mutation($input: SubmitWarrantyClaimInput!) { submitWarrantyClaim(input: $input) { ${CLAIM_FIELDS} } }`;
const REVIEW = `mutation($input: ReviewWarrantyClaimInput!) { reviewWarrantyClaim(input: $input) { ${CLAIM_FIELDS} ${TRANSITION_ERRORS} } }`;

describe('warranty claims: the basic flow', () => {
  let t: TestApp;
  let maker: Tenant;
  let seller: Tenant;
  let unitId: string;

  beforeAll(async () => {
    t = await startTestApp();
    maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    const product = await createProduct(t, maker.staff);
    const unit = assertSuccess(
      await registerUnit(t, seller.staff, {
        productId: product.id,
        manufacturerId: maker.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2026-01-10',
      }),
      'Unit',
    );
    unitId = unit.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const lines = [
    {
      kind: 'PART',
      description: 'Compressor',
      partNumber: 'C-1',
      quantity: '1',
      unitAmount: { amount: '120.50', currency: 'USD' },
    },
    {
      kind: 'LABOR',
      description: 'Replace compressor',
      laborCode: 'L-9',
      quantity: '1.5',
      unitAmount: { amount: '80', currency: 'USD' },
    },
  ];

  it('a covered claim is SUBMITTED under the base warranty with its totals; the manufacturer approves it in part, then marks it paid', async () => {
    const submitted = (
      await gql(t, seller.staff, SUBMIT, {
        input: { unitId, failureCategory: 'MECHANICAL', failureDate: '2026-06-01', description: 'Not cooling', lines },
      })
    ).data.submitWarrantyClaim;
    expect(submitted).toMatchObject({
      __typename: 'WarrantyClaim',
      status: 'SUBMITTED',
      flags: [],
      requestedTotal: { amount: '240.50', currency: 'USD' },
      coverage: { source: 'BASE_WARRANTY' },
    });
    expect(submitted.lines.map((l: { total: { amount: string } }) => l.total.amount)).toEqual(['120.50', '120.00']);
    const partial = (
      await gql(t, maker.staff, REVIEW, {
        input: {
          claimId: submitted.id,
          decision: 'APPROVE',
          approvedTotal: { amount: '200.00', currency: 'USD' },
          expectedVersion: submitted.version,
        },
      })
    ).data.reviewWarrantyClaim;
    expect(partial).toMatchObject({ status: 'PARTIALLY_APPROVED', approvedTotal: { amount: '200.00' } });
    expect(partial.history.map((h: { from: string | null; to: string }) => `${h.from}>${h.to}`)).toEqual([
      'null>SUBMITTED',
      'SUBMITTED>IN_REVIEW',
      'IN_REVIEW>PARTIALLY_APPROVED',
    ]);
    const paid = await rest(t, maker.staff).post(`/warranty-claims/${submitted.id}:review`, {
      decision: 'MARK_PAID',
      expectedVersion: partial.version,
    });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'PAID' });
  });

  it('a retailer cannot review (FORBIDDEN); a stale version is a VERSION_CONFLICT; a second claim for the same failure within 30 days is flagged', async () => {
    const first = (
      await gql(t, seller.staff, SUBMIT, {
        input: { unitId, failureCategory: 'ELECTRICAL', failureDate: '2026-07-01', description: 'No power', lines },
      })
    ).data.submitWarrantyClaim;
    const retailerReview = await gql(t, seller.staff, REVIEW, {
      input: { claimId: first.id, decision: 'APPROVE', expectedVersion: first.version },
    });
    expect(retailerReview.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stale = (
      await gql(t, maker.staff, REVIEW, {
        input: { claimId: first.id, decision: 'REQUEST_INFO', expectedVersion: first.version + 5 },
      })
    ).data.reviewWarrantyClaim;
    expect(stale).toMatchObject({ errorCode: 'VERSION_CONFLICT', currentVersion: first.version });
    const second = (
      await gql(t, seller.staff, SUBMIT, {
        input: {
          unitId,
          failureCategory: 'ELECTRICAL',
          failureDate: '2026-07-20',
          description: 'No power again',
          lines,
        },
      })
    ).data.submitWarrantyClaim;
    expect(second.flags).toEqual(['DUPLICATE_SUSPECTED']);
  });

  it('a claim for an uncovered failure is stored REJECTED with NOT_COVERED and the reasons in its history', async () => {
    const rejected = (
      await gql(t, seller.staff, SUBMIT, {
        input: {
          unitId,
          failureCategory: 'ACCIDENTAL_DAMAGE',
          failureDate: '2026-06-01',
          description: 'Dropped',
          lines,
        },
      })
    ).data.submitWarrantyClaim;
    expect(rejected).toMatchObject({ status: 'REJECTED', flags: ['NOT_COVERED'], coverage: null });
    expect(rejected.history.at(-1)).toMatchObject({ from: 'SUBMITTED', to: 'REJECTED', reasonCode: 'NOT_COVERED' });
    expect(rejected.history.at(-1).note).toContain('FAILURE_EXCLUDED');
  });

  it('two reviews of one claim at once with the same version: exactly one wins, the other is VERSION_CONFLICT, and one decision is in the history', async () => {
    const claim = (
      await gql(t, seller.staff, SUBMIT, {
        input: { unitId, failureCategory: 'BATTERY', failureDate: '2026-08-01', description: 'Swollen', lines },
      })
    ).data.submitWarrantyClaim;
    const review = (decision: string) =>
      gql(t, maker.staff, REVIEW, {
        input: { claimId: claim.id, decision, reasonCode: 'R1', expectedVersion: claim.version },
      });
    const [a, b] = await Promise.all([review('APPROVE'), review('REJECT')]);
    const results = [a.data.reviewWarrantyClaim, b.data.reviewWarrantyClaim];
    expect(results.filter((r) => r.__typename === 'WarrantyClaim')).toHaveLength(1);
    expect(results.filter((r) => r.errorCode === 'VERSION_CONFLICT')).toHaveLength(1);
    const after = await rest(t, maker.readonly).get(`/warranty-claims/${claim.id}`);
    const decisions = after.body.history.filter((h: { from: string }) => h.from === 'IN_REVIEW');
    expect(decisions).toHaveLength(1);
    expect(after.body.history.filter((h: { to: string }) => h.to === 'IN_REVIEW')).toHaveLength(1);
  });

  it('claims stay inside their tenants: another retailer or manufacturer gets NOT_FOUND and lists nothing; the claimant cancels, the manufacturer cannot', async () => {
    const claim = (
      await gql(t, seller.staff, SUBMIT, {
        input: { unitId, failureCategory: 'SOFTWARE', failureDate: '2026-08-02', description: 'Boot loop', lines },
      })
    ).data.submitWarrantyClaim;
    const otherRetailer = await createTenant(t, 'RETAILER');
    const otherMaker = await createTenant(t, 'MANUFACTURER');
    for (const key of [otherRetailer.staff, otherMaker.staff]) {
      expect((await rest(t, key).get(`/warranty-claims/${claim.id}`)).status).toBe(404);
      expect((await gql(t, key, `{ warrantyClaim(id: "${claim.id}") { id } }`)).errors?.[0]?.extensions?.code).toBe(
        'NOT_FOUND',
      );
      expect((await rest(t, key).get('/warranty-claims')).body.totalCount).toBe(0);
      expect(
        (await rest(t, key).post(`/warranty-claims/${claim.id}:cancel`, { expectedVersion: claim.version })).status,
      ).toBe(404);
    }
    expect(
      (
        await rest(t, otherMaker.staff).post(`/warranty-claims/${claim.id}:review`, {
          decision: 'REJECT',
          reasonCode: 'X',
          expectedVersion: claim.version,
        })
      ).status,
    ).toBe(404);
    const mine = await rest(t, seller.readonly).get(`/warranty-claims?unitId=${unitId}&status=SUBMITTED`);
    expect(mine.body.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(claim.id);
    const manufacturerCancel = await rest(t, maker.staff).post(`/warranty-claims/${claim.id}:cancel`, {
      expectedVersion: claim.version,
    });
    expect(manufacturerCancel.status).toBe(403);
    const cancelled = await rest(t, seller.staff).post(`/warranty-claims/${claim.id}:cancel`, {
      note: 'customer withdrew',
      expectedVersion: claim.version,
    });
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED' });
    const again = await rest(t, seller.staff).post(`/warranty-claims/${claim.id}:cancel`, {
      expectedVersion: cancelled.body.version,
    });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({
      errorCode: 'INVALID_STATE_TRANSITION',
      fromState: 'CANCELLED',
      allowedStates: [],
    });
  });

  it('a request for information goes back to review when the claimant answers', async () => {
    const claim = (
      await gql(t, seller.staff, SUBMIT, {
        input: { unitId, failureCategory: 'OTHER', failureDate: '2026-08-03', description: 'Noise', lines },
      })
    ).data.submitWarrantyClaim;
    const asked = (
      await gql(t, maker.staff, REVIEW, {
        input: { claimId: claim.id, decision: 'REQUEST_INFO', note: 'Photo please', expectedVersion: claim.version },
      })
    ).data.reviewWarrantyClaim;
    expect(asked.status).toBe('NEEDS_INFO');
    const answered = await gql(
      t,
      seller.staff,
      `mutation($input: AnswerClaimInfoRequestInput!) { answerClaimInfoRequest(input: $input) { ... on WarrantyClaim { status history { to note } } } }`,
      {
        input: { claimId: claim.id, note: 'Photo attached', expectedVersion: asked.version },
      },
    );
    expect(answered.data.answerClaimInfoRequest.status).toBe('IN_REVIEW');
    expect(answered.data.answerClaimInfoRequest.history.at(-1)).toEqual({ to: 'IN_REVIEW', note: 'Photo attached' });
  });

  it('the same Idempotency-Key and body file one claim and replay it; another body under the key is refused', async () => {
    const { DataSource } = await import('typeorm');
    const db = t.app.get(DataSource);
    const body = { unitId, failureCategory: 'DISPLAY', failureDate: '2026-08-04', description: 'Dead pixels', lines };
    const send = (payload: object) =>
      rest(t, seller.staff).post('/warranty-claims', payload).set('Idempotency-Key', 'claim-retry-1');
    const first = await send(body);
    const again = await send(body);
    expect(first.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const [{ count }] = await db.query(
      `SELECT count(*)::int AS count FROM warranty_claims WHERE unit_id = $1 AND failure_category = 'DISPLAY'`,
      [unitId],
    );
    expect(count).toBe(1);
    const other = await send({ ...body, description: 'Something else' });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('CONFLICT');
  });

  it('every change of a claim writes its outbox event in the same transaction', async () => {
    const { DataSource } = await import('typeorm');
    const db = t.app.get(DataSource);
    const claim = (
      await gql(t, seller.staff, SUBMIT, {
        input: { unitId, failureCategory: 'COSMETIC', failureDate: '2026-08-05', description: 'Scratch', lines },
      })
    ).data.submitWarrantyClaim;
    const asked = (
      await gql(t, maker.staff, REVIEW, {
        input: { claimId: claim.id, decision: 'REQUEST_INFO', expectedVersion: claim.version },
      })
    ).data.reviewWarrantyClaim;
    const stale = (
      await gql(t, maker.staff, REVIEW, {
        input: { claimId: claim.id, decision: 'REQUEST_INFO', expectedVersion: claim.version },
      })
    ).data.reviewWarrantyClaim;
    expect(stale.errorCode).toBe('VERSION_CONFLICT');
    const events: { event_type: string }[] = await db.query(
      `SELECT event_type FROM outbox_events WHERE aggregate_id = $1 ORDER BY id`,
      [claim.id],
    );
    expect(events.map((e) => e.event_type)).toEqual(['WarrantyClaimSubmitted', 'WarrantyClaimInfoRequested']);
    expect(asked.status).toBe('NEEDS_INFO');
  });

  it('rule 6 through the API: with maxClaims 2, a third claim is REJECTED NOT_COVERED and coverage says CLAIM_LIMIT_REACHED until one is cancelled', async () => {
    const limited = await createProduct(t, maker.staff, {
      warrantyTerms: { durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS'], maxClaims: 2 },
    });
    const serialNumber = uniqueSerial();
    const limitedUnit = assertSuccess(
      await registerUnit(t, seller.staff, {
        productId: limited.id,
        manufacturerId: maker.id,
        serialNumber,
        purchaseDate: '2026-01-10',
      }),
      'Unit',
    );
    const file = async (failureCategory: string, failureDate: string) =>
      (
        await gql(t, seller.staff, SUBMIT, {
          input: { unitId: limitedUnit.id, failureCategory, failureDate, description: 'x', lines },
        })
      ).data.submitWarrantyClaim;
    const coverage = async () =>
      (
        await rest(t, seller.readonly).get(
          `/coverage?serialNumber=${serialNumber}&asOf=2026-09-01&manufacturerId=${maker.id}`,
        )
      ).body;
    const first = await file('ELECTRICAL', '2026-03-01');
    await file('DISPLAY', '2026-05-01');
    expect(await coverage()).toMatchObject({ covered: false, reasons: ['CLAIM_LIMIT_REACHED'], coverages: [] });
    const third = await file('BATTERY', '2026-08-01');
    expect(third).toMatchObject({ status: 'REJECTED', flags: ['NOT_COVERED'] });
    expect(third.history.at(-1).note).toContain('CLAIM_LIMIT_REACHED');
    const cancelled = await rest(t, seller.staff).post(`/warranty-claims/${first.id}:cancel`, {
      expectedVersion: first.version,
    });
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(await coverage()).toMatchObject({
      covered: true,
      coverages: [expect.objectContaining({ remainingClaims: 1 })],
    });
  });
});
