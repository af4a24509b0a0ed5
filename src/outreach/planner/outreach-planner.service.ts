import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isCalendarDate, today as todayOf } from '../../common/dates/calendar-date.js';
import { logSafeError } from '../../common/errors/log-safe.js';
import { JobRunner } from '../../common/jobs/job-runner.service.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import {
  findJourneysToPlan,
  markPlannedThrough,
  planOccasions,
  unitSlices,
  type JourneyToPlan,
  type UnitSlice,
} from './planner.queries.js';
import { planningWindow } from './planning-window.js';

export interface PlanningRound {
  /** Journeys planned this round. */
  journeys: number;
  /** Messages recorded this round (occasions already recorded are not counted again). */
  messages: number;
}

const logger = new Logger('OutreachPlanner');

/**
 * Records every due occasion of every active journey as a QUEUED message (docs/outreach.md,
 * "Journeys"), with set-based SQL (planner.queries.ts). It runs on the job runner every
 * OUTREACH_INTERVAL_MS, so an occasion of today — a repair closed a minute ago — is recorded
 * within that interval. Any number of planners may run at once: the messages' unique key records
 * each occasion once, and a journey's mark only moves forward.
 */
@Injectable()
export class OutreachPlanner implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly runner: JobRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.runner.every({
      name: 'outreach-planner',
      everyMs: this.config.outreach.intervalMs,
      run: async (em) => {
        await this.planDue(em, new Date());
      },
    });
  }

  /**
   * Plans every active journey up to the UTC day of `now`. Given a manager (the job runner's
   * transaction), each journey is planned in a savepoint of it; else each in a transaction of its own.
   */
  planDue(now: Date): Promise<PlanningRound>;
  planDue(em: EntityManager, now: Date): Promise<PlanningRound>;
  async planDue(emOrNow: EntityManager | Date, maybeNow?: Date): Promise<PlanningRound> {
    const em = emOrNow instanceof Date ? null : emOrNow;
    const now = emOrNow instanceof Date ? emOrNow : (maybeNow ?? new Date());
    const round: PlanningRound = { journeys: 0, messages: 0 };
    const journeys = await findJourneysToPlan(em ?? this.db.manager);
    if (journeys.length === 0) return round;
    const slices = await unitSlices(em ?? this.db.manager);
    for (const journey of journeys) {
      const recorded = await this.planIsolated(em, journey, slices, now);
      if (recorded === null) continue;
      round.journeys++;
      round.messages += recorded;
    }
    if (round.messages > 0) logger.log({ msg: 'outreach occasions planned', ...round });
    return round;
  }

  /** One journey; a failure is logged and leaves the other journeys and its own mark as they were. */
  private async planIsolated(
    em: EntityManager | null,
    journey: JourneyToPlan,
    slices: UnitSlice[],
    now: Date,
  ): Promise<number | null> {
    try {
      if (!em) return await this.db.transaction((tx) => planJourney(tx, journey, slices, now));
      await em.query('SAVEPOINT outreach_plan');
      const recorded = await planJourney(em, journey, slices, now);
      await em.query('RELEASE SAVEPOINT outreach_plan');
      return recorded;
    } catch (error) {
      if (em) await em.query('ROLLBACK TO SAVEPOINT outreach_plan');
      logger.error({ msg: 'planning a journey failed', journeyId: journey.id, err: logSafeError(error) });
      return null;
    }
  }
}

/** Records the journey's occasions from its window, slice by slice, and moves its mark to today; null when nothing was due. */
async function planJourney(
  em: EntityManager,
  journey: JourneyToPlan,
  slices: UnitSlice[],
  now: Date,
): Promise<number | null> {
  const today = todayOf(now);
  const window = planningWindow(journey, today);
  if (!window) return null;
  // an ANNUAL_DATE journey without a valid MM-DD has no occasion (the API refuses one; this is the guard)
  if (journey.trigger === 'ANNUAL_DATE' && !isCalendarDate(`2000-${journey.annualDate ?? ''}`)) return null;
  // short statements over many rows: compiling them (JIT) costs more than it saves
  await em.query('SET LOCAL jit = off');
  let recorded = 0;
  for (const slice of slices) recorded += await planOccasions(em, journey, window, slice, now);
  await markPlannedThrough(em, journey.id, today);
  return recorded;
}
