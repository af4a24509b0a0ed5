import { Global, Module } from '@nestjs/common';
import { AuthService } from './auth/auth.service.js';
import { IdempotencyService } from './idempotency/idempotency.service.js';

/** Shared mechanisms, one instance each for the whole application. */
@Global()
@Module({ providers: [AuthService, IdempotencyService], exports: [AuthService, IdempotencyService] })
export class CommonModule {}
