import { registerEnumType, type EnumOptions } from '@nestjs/graphql';

/** An enum as a frozen object `{ A: 'A', B: 'B' }`: what GraphQL's registerEnumType and Swagger's `enum` both take. */
export type EnumObject<V extends string> = { readonly [K in V]: K };

/**
 * Declares an enum once: from the one list of values the rules use (a machine's states, a rule's
 * choices), it makes the object GraphQL and OpenAPI both publish under `name`. No second list to
 * keep in step.
 */
export function declareEnum<const V extends string>(
  name: string,
  values: readonly V[],
  options: Omit<EnumOptions<EnumObject<V>>, 'name'> = {},
): EnumObject<V> {
  const object = Object.freeze(Object.fromEntries(values.map((value) => [value, value]))) as EnumObject<V>;
  registerEnumType(object, { ...options, name });
  return object;
}
