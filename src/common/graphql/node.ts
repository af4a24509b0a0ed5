import { Field, ID, InterfaceType } from '@nestjs/graphql';

/** Relay's Node. Views carry their GraphQL type name, so any of them can resolve the interface. */
@InterfaceType('Node', {
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class NodeInterface {
  @Field(() => ID) id: string;
}

/**
 * Tags a view with its GraphQL type name. Not enumerable, so REST's JSON does not show it while
 * the Node interface and unions can still resolve the type.
 */
export function typed<T extends object>(view: T, typename: string): T & { __typename: string } {
  Object.defineProperty(view, '__typename', { value: typename, enumerable: false });
  return view as T & { __typename: string };
}
