import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { ReadReplicas } from '../database/replicas.js';

/**
 * Readiness answers within this time whatever the database does: a load balancer's probe must
 * not hang on a frozen database (the query itself is bounded by the pool's own timeouts).
 */
const READY_CHECK_TIMEOUT_MS = 1500;

/** Resolves true when the check answered in time, false when it failed or did not answer. */
async function answersWithin(check: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      check.then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Liveness (the process answers) and readiness (the database answers too). Readiness lists the read
 * replicas' state when there are any; a replica down or lagging does not make the server unready
 * (its reads go to the primary).
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    private readonly replicas: ReadReplicas,
  ) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res() reply: FastifyReply) {
    if (await answersWithin(this.db.query('SELECT 1'), READY_CHECK_TIMEOUT_MS)) {
      const replicas = this.replicas.enabled ? this.replicas.status() : undefined;
      return reply.status(200).send({ status: 'ok', database: 'ok', ...replicas });
    }
    return reply.status(503).header('Retry-After', '5').send({ status: 'unavailable', database: 'unreachable' });
  }
}
