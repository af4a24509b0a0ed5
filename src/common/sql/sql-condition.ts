/**
 * A condition for a WHERE clause with its parameters, numbered from the index it was asked for:
 * the SQL form of an access rule (each module's *-visibility.ts / *.access.ts), written beside
 * the TypeScript form it must agree with.
 */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}
