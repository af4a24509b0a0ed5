import { declareEnum } from '../common/graphql/enums.js';
import {
  COVERAGE_STARTS,
  COVERAGE_TYPES,
  FAILURE_CATEGORIES,
  type CoverageStart,
  type CoverageType,
  type FailureCategory,
} from './warranty-terms.js';

export const CoverageTypeEnum = declareEnum('CoverageType', COVERAGE_TYPES);
export const FailureCategoryEnum = declareEnum('FailureCategory', FAILURE_CATEGORIES);
export const CoverageStartEnum = declareEnum('CoverageStart', COVERAGE_STARTS);

// the claims, repairs and returns modules still name the value types after the enum objects
export type CoverageTypeEnum = CoverageType;
export type FailureCategoryEnum = FailureCategory;
export type CoverageStartEnum = CoverageStart;
