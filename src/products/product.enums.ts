import { declareEnum } from '../common/graphql/enums.js';
import { COVERAGE_STARTS, COVERAGE_TYPES, FAILURE_CATEGORIES } from './warranty-terms.js';
import { PRODUCT_RESOURCE_KINDS } from './product-resource.entity.js';

export const CoverageTypeEnum = declareEnum('CoverageType', COVERAGE_TYPES);
export const FailureCategoryEnum = declareEnum('FailureCategory', FAILURE_CATEGORIES);
export const CoverageStartEnum = declareEnum('CoverageStart', COVERAGE_STARTS);
export const ProductResourceKindEnum = declareEnum('ProductResourceKind', PRODUCT_RESOURCE_KINDS);
