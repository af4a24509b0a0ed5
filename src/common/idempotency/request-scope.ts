import { AsyncLocalStorage } from 'node:async_hooks';

/** A claimed Idempotency-Key: the claim token fences it against a request that lost its lease. */
export interface KeyClaim {
  apiKeyId: string;
  key: string;
  token: string;
}

/** What the request being served has told the idempotency layer. */
interface RequestScope {
  /** Set while the request holds a claimed Idempotency-Key; every transaction it commits is fenced by it. */
  claim?: KeyClaim;
  /** The answer carries a secret shown once (an API key): it is never stored for a replay. */
  answerCarriesSecret?: boolean;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` (and everything it starts) with a fresh scope of its own. */
export function runInRequestScope<T>(fn: () => T): T {
  return storage.run({}, fn);
}

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/**
 * A handler whose answer carries a secret calls this (inside its transaction, once the secret is
 * made): a repeated request with the same Idempotency-Key is then told the secret was shown once,
 * and the secret is never written to the idempotency store. Works the same for REST and GraphQL.
 */
export function markAnswerCarriesSecret(): void {
  const scope = storage.getStore();
  if (scope) scope.answerCarriesSecret = true;
}
