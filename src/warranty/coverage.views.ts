import { ApiSchema } from '@nestjs/swagger';
import type { MoneyType } from '../common/money/money.types.js';
import { ApiBool, ApiDay, ApiEnum, ApiInt, ApiMoney, ApiNested, ApiText } from '../common/openapi/properties.js';
import { CoverageTypeEnum, FailureCategoryEnum } from '../products/product.enums.js';
import type { CoverageType, FailureCategory } from '../products/warranty-terms.js';
import { UnitView } from '../units/unit.views.js';
import {
  COVERAGE_SOURCES,
  NOT_COVERED_REASONS,
  type CoverageInForce,
  type CoverageSource,
  type CoverageVerdict,
  type NotCoveredReason,
} from './coverage-engine.js';
import type { CoverageCheckView } from './coverage.service.js';

/**
 * The coverage engine's answers as REST sends them. The classes implement the engine's own types,
 * so the schema cannot leave out or misname a field the engine has; the enums are its own lists.
 */
@ApiSchema({ name: 'Coverage', description: 'One coverage in force on the date asked about.' })
export class CoverageView implements CoverageInForce {
  @ApiText('base', {
    description: 'Identifies the coverage: "base", "plan:<id>", "repair:<ticket id>" or "carryover".',
  })
  key: string;
  @ApiEnum(COVERAGE_SOURCES, 'CoverageSource') source: CoverageSource;
  @ApiText('Base warranty') name: string;
  @ApiDay() startsAt: string;
  @ApiDay() endsAt: string;
  @ApiEnum(CoverageTypeEnum, 'CoverageType', { isArray: true }) coverageTypes: CoverageType[];
  @ApiEnum(FailureCategoryEnum, 'FailureCategory', { isArray: true }) excludedFailures: FailureCategory[];
  @ApiInt(3, { nullable: true }) maxClaims: number | null;
  @ApiMoney({ nullable: true }) deductible: MoneyType | null;
  @ApiEnum(FailureCategoryEnum, 'FailureCategory', {
    required: false,
    description: 'A repair warranty covers only the repaired failure.',
  })
  onlyFailure?: FailureCategory;
  @ApiInt(2, { nullable: true }) remainingClaims: number | null;
}

@ApiSchema({ name: 'CoverageVerdict', description: 'Whether a unit is covered on a date, by what, or why not.' })
class CoverageVerdictView implements CoverageVerdict {
  @ApiBool(true) covered: boolean;
  @ApiDay() asOf: string;
  @ApiNested(() => CoverageView, { isArray: true }) coverages: CoverageView[];
  @ApiEnum(NOT_COVERED_REASONS, 'NotCoveredReason', {
    isArray: true,
    description: 'Why it is not covered; empty when covered.',
  })
  reasons: NotCoveredReason[];
  @ApiDay({ nullable: true }) coveredUntil: string | null;
}

/** The coverage recorded on a ticket at intake: the verdict and the serial number it was asked for. */
@ApiSchema({ name: 'CoverageAtIntake' })
export class CoverageAtIntakeView extends CoverageVerdictView {
  @ApiText('SN-0001') serialNumber: string;
}

@ApiSchema({
  name: 'CoverageCheck',
  description: 'The answer to one coverage query; the unit only for callers who may see it.',
})
export class CoverageCheckResultView extends CoverageAtIntakeView implements CoverageCheckView {
  @ApiNested(() => UnitView, { nullable: true }) unit: UnitView | null;
}
