import type { AppConfig } from '@kpi/config';
import { createLogger } from '@kpi/logging';
import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type ModuleMetadata,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DestinationStream } from 'pino';
import { AccessLogModule } from './access-log/access-log.module';
import { AccountsModule } from './accounts/accounts.module';
import { AuditModule } from './audit/audit.module';
import { AuditExportsModule } from './audit-exports/audit-exports.module';
import { AuthModule } from './auth/auth.module';
import { CallOffModule } from './call-off/call-off.module';
import { CapabilityModule } from './capability/capability.module';
import { ComplaintsModule } from './complaints/complaints.module';
import { DataSubjectsModule } from './data-subjects/data-subjects.module';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { EvidenceModule } from './evidence/evidence.module';
import { HealthModule } from './health/health.module';
import { HttpModule } from './http/http.module';
import { KpiFrameworksModule } from './kpi-frameworks/kpi-frameworks.module';
import { OrganisationModule } from './organisation/organisation.module';
import { PagesModule } from './pages/pages.module';
import { RequestValidationPipe } from './http/request-validation.pipe';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { MeModule } from './me/me.module';
import { ProblemDetailsFilter } from './problems/problem-details.filter';
import { SigningKeysModule } from './signing-keys/signing-keys.module';
import { ProviderReturnsModule } from './provider-returns/provider-returns.module';
import { ProviderNoticesModule } from './provider-notices/provider-notices.module';
import { RegulatorGrantsModule } from './regulator-grants/regulator-grants.module';
import { MonthlyReturnsModule } from './monthly-returns/monthly-returns.module';
import { NotificationsModule } from './notifications/notifications.module';
import { requestContextMiddleware } from './request-context/request-context';
import { assignRequestId } from './request-context/request-id';
import { WorkforceModule } from './workforce/workforce.module';
import { ActionsModule } from './actions/actions.module';
import { RisksModule } from './risks/risks.module';

export interface AppModuleOptions {
  /** Where log lines go (tests collect them); stdout by default. */
  logDestination?: DestinationStream;
  /** Where commands read `now` from; the system clock by default (tests move it). */
  clock?: () => Date;
  /** More modules to mount, e.g. a spec's own controllers. */
  imports?: ModuleMetadata['imports'];
}

/** A request's completion line: errors stand out, refused requests are worth a look. */
function logLevelFor(status: number, error: Error | undefined): 'error' | 'warn' | 'info' {
  if (error || status >= 500) return 'error';
  return status >= 400 ? 'warn' : 'info';
}

/** Every route, in the path syntax of Nest 11 (path-to-regexp 8). */
const ALL_ROUTES = { path: '{*path}', method: RequestMethod.ALL };

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger: createLogger(config, { name: 'api', destination: options.logDestination }),
            genReqId: (request: IncomingMessage, response: ServerResponse) =>
              assignRequestId(request, response),
            // Every line logged while handling a request carries only its id, as `requestId`;
            // the request itself (method, url, headers) is logged once, when it completes.
            quietReqLogger: true,
            customAttributeKeys: { reqId: 'requestId' },
            customLogLevel: (_request, response, error) => logLevelFor(response.statusCode, error),
          },
          forRoutes: [ALL_ROUTES],
        }),
        InfrastructureModule.forRoot(config, options.clock),
        AuthModule,
        HealthModule,
        MeModule,
        AccountsModule,
        AuditModule,
        AuditExportsModule,
        SigningKeysModule,
        HttpModule,
        AccessLogModule,
        RegulatorGrantsModule,
        OrganisationModule,
        KpiFrameworksModule,
        MonthlyReturnsModule,
        CapabilityModule,
        DeadlinesModule,
        ComplaintsModule,
        DataSubjectsModule,
        WorkforceModule,
        ProviderReturnsModule,
        CallOffModule,
        ActionsModule,
        RisksModule,
        EvidenceModule,
        ProviderNoticesModule,
        NotificationsModule,
        PagesModule,
        ...(options.imports ?? []),
      ],
      providers: [
        { provide: APP_PIPE, useValue: new RequestValidationPipe() },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestContextMiddleware).forRoutes(ALL_ROUTES);
  }
}
