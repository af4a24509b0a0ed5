import DataLoader from 'dataloader';
import type { FastifyRequest } from 'fastify';

/**
 * Per-request DataLoaders, created on first use: field resolvers batch their look-ups into one
 * query per kind of record instead of one per row (no N+1), and nothing outlives the request.
 */
class RequestLoaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 500 }) as DataLoader<unknown, unknown>;
      this.loaders.set(name, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

const LOADERS = Symbol('loaders');

export function loadersOf(req: FastifyRequest): RequestLoaders {
  const holder = req as unknown as { [LOADERS]?: RequestLoaders };
  return (holder[LOADERS] ??= new RequestLoaders());
}

/** Drops the request's loaders: a long-lived subscription reads fresh records for each message. */
export function resetLoaders(req: FastifyRequest): void {
  delete (req as unknown as { [LOADERS]?: RequestLoaders })[LOADERS];
}
