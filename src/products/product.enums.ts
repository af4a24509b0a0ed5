import { declareEnum } from '../common/graphql/enums.js';
import {
  COVERAGE_STARTS,
  COVERAGE_TYPES,
  FAILURE_CATEGORIES,
  type CoverageType,
  type FailureCategory,
} from './warranty-terms.js';

export const CoverageTypeEnum = declareEnum('CoverageType', COVERAGE_TYPES);
export const FailureCategoryEnum = declareEnum('FailureCategory', FAILURE_CATEGORIES);
export const CoverageStartEnum = declareEnum('CoverageStart', COVERAGE_STARTS);

// the warranty and repairs modules still name the value types after the enum objects; once they
// name CoverageType and FailureCategory (warranty-terms.ts), these two go
export type CoverageTypeEnum = CoverageType;
export type FailureCategoryEnum = FailureCategory;
