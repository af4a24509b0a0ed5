import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { operationLabels } from './graphql-metrics.plugin.js';
import { methodLabel, routeLabel, statusClass, UNMATCHED_ROUTE } from './http-metrics.js';
import { singleFlight } from './database-metrics.js';

const schema = buildSchema(`
  type Query { me: String, units(first: Int): [String] }
  type Mutation { registerUnit(sku: String): String }
`);

function labels(source: string, operationName?: string) {
  const document = parse(source);
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((o) => o.name?.value === operationName)! : operations[0];
  return operationLabels(operation, document, schema);
}

describe('metric labels', () => {
  it('a GraphQL operation is labelled by its type and its root field, whatever the client named or aliased it', () => {
    expect(labels('query AnythingTheClientLikes { me }')).toEqual({ operation_type: 'query', root_field: 'me' });
    expect(labels('mutation { freeText: registerUnit(sku: "x") }')).toEqual({
      operation_type: 'mutation',
      root_field: 'registerUnit',
    });
    expect(labels('query { __typename me }')).toEqual({ operation_type: 'query', root_field: 'me' });
    expect(labels('{ __typename }')).toEqual({ operation_type: 'query', root_field: 'none' });
    expect(labels('{ __schema { types { name } } }')).toEqual({ operation_type: 'query', root_field: '__schema' });
  });

  it('several root fields, through fragments too, are "multiple"; one field selected twice is still that field', () => {
    expect(labels('{ me units }')).toEqual({ operation_type: 'query', root_field: 'multiple' });
    expect(labels('{ me ...F } fragment F on Query { units }')).toEqual({
      operation_type: 'query',
      root_field: 'multiple',
    });
    expect(labels('{ ... on Query { me } a: me }')).toEqual({ operation_type: 'query', root_field: 'me' });
    expect(labels('query A { me } query B { units }', 'B')).toEqual({ operation_type: 'query', root_field: 'units' });
  });

  it('a name the schema does not define (the document was not validated) is "unknown", never the client text', () => {
    expect(labels('{ clientText }')).toEqual({ operation_type: 'query', root_field: 'unknown' });
    expect(labels('mutation { __schema { types { name } } }')).toEqual({
      operation_type: 'mutation',
      root_field: 'unknown',
    });
  });

  it('a fragment that spreads itself does not loop', () => {
    expect(labels('{ ...F } fragment F on Query { me ...F }')).toEqual({ operation_type: 'query', root_field: 'me' });
  });

  it('HTTP labels: the matched route pattern or one value for no route; known methods; status classes', () => {
    expect(routeLabel({ routeOptions: { url: '/api/v1/units/:id' } } as never)).toBe('/api/v1/units/:id');
    expect(routeLabel({ routeOptions: { url: undefined } } as never)).toBe(UNMATCHED_ROUTE);
    expect([methodLabel('GET'), methodLabel('PATCH'), methodLabel('PROPFIND')]).toEqual(['GET', 'PATCH', 'OTHER']);
    expect([
      statusClass(200),
      statusClass(204),
      statusClass(404),
      statusClass(503),
      statusClass(99),
      statusClass(600),
    ]).toEqual(['2xx', '2xx', '4xx', '5xx', 'other', 'other']);
  });

  it('single flight: callers while a read is pending share it; the next call after it settles reads again', async () => {
    let reads = 0;
    let finish: (value: number) => void = () => undefined;
    const read = singleFlight(() => {
      reads++;
      return new Promise<number>((resolve) => {
        finish = resolve;
      });
    });
    const first = read();
    const second = read();
    expect(reads).toBe(1);
    finish(7);
    expect(await Promise.all([first, second])).toEqual([7, 7]);
    const third = read();
    expect(reads).toBe(2);
    finish(8);
    expect(await third).toBe(8);
  });
});
