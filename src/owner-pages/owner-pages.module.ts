import { Global, Module } from '@nestjs/common';
import { OwnerLinks } from './owner-links.js';

/**
 * The owner pages (docs/outreach.md, "Owner pages"): links an owner opens without logging in.
 * Global so that the outreach sender can sign links while these pages use the outreach services,
 * without the two modules importing each other.
 */
@Global()
@Module({
  providers: [OwnerLinks],
  exports: [OwnerLinks],
})
export class OwnerPagesModule {}
