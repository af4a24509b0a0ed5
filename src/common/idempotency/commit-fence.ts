import { EventSubscriber, type EntitySubscriberInterface, type TransactionCommitEvent } from 'typeorm';
import { DomainError } from '../errors/domain-error.js';
import { currentRequestScope } from './request-scope.js';

/**
 * Writes, inside every transaction a request with a claimed Idempotency-Key commits, that the
 * key's change committed: the mark and the change are committed together or not at all, so a
 * lost COMMIT can never leave a key that looks free while its change exists (a retry would do it
 * twice) nor one stuck "in progress". The mark is fenced by the claim token: when the request's
 * lease ran out and a retry took the key over, no row matches and the transaction rolls back.
 *
 * It is a TypeORM subscriber, so every transaction is covered, inTransaction's and those that
 * services open with db.transaction directly.
 */
@EventSubscriber()
export class IdempotencyCommitFence implements EntitySubscriberInterface {
  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const scope = currentRequestScope();
    const claim = scope?.claim;
    if (!claim) return;
    const result = await event.queryRunner.query(
      `UPDATE idempotency_keys SET committed_at = coalesce(committed_at, now()), answer_withheld = answer_withheld OR $4::boolean
        WHERE api_key_id = $1 AND key = $2 AND claim_token = $3`,
      [claim.apiKeyId, claim.key, claim.token, scope.answerCarriesSecret === true],
      true,
    );
    if (result.affected !== 1) {
      throw new DomainError(
        'CONFLICT',
        'This request took too long and its Idempotency-Key was taken over by a retry; nothing was changed by it.',
        {
          field: 'Idempotency-Key',
          errorCode: 'IDEMPOTENCY_KEY_TAKEN_OVER',
        },
      );
    }
  }
}
