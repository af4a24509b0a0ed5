import { coverageFactsSql } from './coverage.queries.js';

/**
 * The coverage-facts query is the hot path of every coverage check and claim: a change to its
 * text shows in review as a change to this snapshot.
 */
describe('the coverage-facts query', () => {
  it('by serial number', () => {
    expect(coverageFactsSql('serial')).toMatchSnapshot();
  });

  it('by unit id', () => {
    expect(coverageFactsSql('id')).toMatchSnapshot();
  });
});
