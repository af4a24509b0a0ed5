import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';

/** Liveness (the process answers) and readiness (the database answers too). */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(private readonly db: DataSource) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res() reply: FastifyReply) {
    try {
      await this.db.query('SELECT 1');
      return reply.status(200).send({ status: 'ok', database: 'ok' });
    } catch {
      return reply.status(503).header('Retry-After', '5').send({ status: 'unavailable', database: 'unreachable' });
    }
  }
}
