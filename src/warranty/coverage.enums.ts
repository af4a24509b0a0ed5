import { declareEnum } from '../common/graphql/enums.js';
import { COVERAGE_SOURCES, NOT_COVERED_REASONS } from './coverage-engine.js';

export const CoverageSourceEnum = declareEnum('CoverageSource', COVERAGE_SOURCES);

export const NotCoveredReasonEnum = declareEnum('NotCoveredReason', NOT_COVERED_REASONS);
