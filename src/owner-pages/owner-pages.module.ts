import { Global, Module } from '@nestjs/common';
import { OutreachModule } from '../outreach/outreach.module.js';
import { OwnerLinks } from './owner-links.js';
import { OwnerPagesRoutes } from './owner-pages.routes.js';
import { OwnerPagesService } from './owner-pages.service.js';

/**
 * The owner pages (docs/owner-pages.md): links an owner opens without logging in.
 * Global so that the outreach sender can sign links while these pages use the outreach services
 * (survey answers), without the two modules importing each other.
 */
@Global()
@Module({
  imports: [OutreachModule],
  providers: [OwnerLinks, OwnerPagesService, OwnerPagesRoutes],
  exports: [OwnerLinks],
})
export class OwnerPagesModule {}
