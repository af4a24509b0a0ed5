import { Module } from '@nestjs/common';
import { CoverageService } from './coverage.service.js';
import { CoverageResolver } from './graphql/coverage.resolver.js';
import { CoverageController } from './rest/coverage.controller.js';

@Module({ providers: [CoverageService, CoverageResolver], controllers: [CoverageController], exports: [CoverageService] })
export class WarrantyModule {}
