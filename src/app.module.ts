import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { GraphQLSchema } from 'graphql';
import { AuthService } from './common/auth/auth.service.js';
import { CommonModule } from './common/common.module.js';
import { DomainExceptionFilter } from './common/errors/exception.filter.js';
import { graphqlOptions } from './common/graphql/graphql.config.js';
import { DateScalarType, DecimalScalarType, JsonScalarType } from './common/graphql/scalars.js';
import { createValidationPipe } from './common/http/validation.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { MetricsModule } from './common/metrics/metrics.module.js';
import { HealthController } from './health/health.controller.js';
import { TelemetryFlush } from './telemetry/telemetry-flush.js';
import { NodeModule } from './node/node.module.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { ProductsModule } from './products/products.module.js';
import { RepairsModule } from './repairs/repairs.module.js';
import { ReturnsModule } from './returns/returns.module.js';
import { UpgradesModule } from './upgrades/upgrades.module.js';
import { UnitsModule } from './units/units.module.js';
import { WarrantyModule } from './warranty/warranty.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { OutreachModule } from './outreach/outreach.module.js';
import { OwnerPagesModule } from './owner-pages/owner-pages.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const schemaRef: { schema?: GraphQLSchema } = {};
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        CommonModule,
        MetricsModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [APP_CONFIG, AuthService],
          useFactory: (appConfig: AppConfig, auth: AuthService) => graphqlOptions(appConfig, schemaRef, auth),
        }),
        OrganizationsModule,
        ProductsModule,
        UnitsModule,
        WarrantyModule,
        RepairsModule,
        ReturnsModule,
        UpgradesModule,
        WebhooksModule,
        OutreachModule,
        OwnerPagesModule,
        NodeModule,
      ],
      controllers: [HealthController],
      providers: [
        DateScalarType,
        DecimalScalarType,
        JsonScalarType,
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: DomainExceptionFilter },
        TelemetryFlush,
      ],
    };
  }
}
