import { Injectable } from '@nestjs/common';
import { DataSource, EventSubscriber, type EntityManager, type EntitySubscriberInterface } from 'typeorm';
import type { TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

/**
 * In-process signals of the outbox, so that an event moves on as soon as it can rather than at
 * the next poll: a transaction that wrote outbox events has committed (the relay may publish
 * them), and the relay has published events (the fan-out may read them). The polls stay: other
 * replicas' commits, and writes outside a transaction, reach this one through them.
 */
@Injectable()
export class OutboxSignals {
  private readonly committedListeners: Array<() => void> = [];
  private readonly publishedListeners: Array<() => void> = [];

  constructor(db: DataSource) {
    signalsOf.set(db, this);
  }

  onCommitted(listener: () => void): void {
    this.committedListeners.push(listener);
  }

  onPublished(listener: () => void): void {
    this.publishedListeners.push(listener);
  }

  committed(): void {
    for (const listener of this.committedListeners) listener();
  }

  published(): void {
    for (const listener of this.publishedListeners) listener();
  }
}

/** Each data source's signals (a process may hold several applications, as the tests do). */
const signalsOf = new WeakMap<DataSource, OutboxSignals>();
const OUTBOX_WRITTEN = 'outboxWritten';

/** Notes that the transaction `em` runs in wrote outbox events (recordEvents). */
export function markOutboxWritten(em: EntityManager): void {
  const runner = em.queryRunner;
  if (runner?.isTransactionActive) runner.data = { ...runner.data, [OUTBOX_WRITTEN]: true };
}

/** Tells a data source's OutboxSignals when a transaction that wrote outbox events commits. */
@EventSubscriber()
export class OutboxCommitSignal implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    // a savepoint's release is not the commit: the events are not visible yet
    if (event.queryRunner.isTransactionActive || !event.queryRunner.data?.[OUTBOX_WRITTEN]) return;
    event.queryRunner.data[OUTBOX_WRITTEN] = false;
    signalsOf.get(event.dataSource)?.committed();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive && event.queryRunner.data)
      event.queryRunner.data[OUTBOX_WRITTEN] = false;
  }
}
