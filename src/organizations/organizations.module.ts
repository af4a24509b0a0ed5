import { Module } from '@nestjs/common';
import { ApiKeyResolver, OrganizationResolver, TechnicianResolver } from './graphql/organization.resolver.js';
import { OrganizationsService } from './organizations.service.js';
import { PlatformBootstrapService } from './platform-bootstrap.service.js';
import { OrganizationsController } from './rest/organizations.controller.js';

@Module({
  providers: [OrganizationsService, PlatformBootstrapService, OrganizationResolver, ApiKeyResolver, TechnicianResolver],
  controllers: [OrganizationsController],
  exports: [OrganizationsService],
})
export class OrganizationsModule {}
