import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AccountsModule } from './accounts/accounts.module';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source';
import { runMigrations } from './database/migrate';
import { HealthModule } from './health/health.module';
import { RedisModule } from './redis/redis.module';
import { AlertsModule } from './alerts/alerts.module';
import { AnalysisModule } from './analysis/analysis.module';
import { ApiModule } from './api/api.module';
import { IssuesModule } from './issues/issues.module';
import { LlmModule } from './llm/llm.module';
import { MetricsModule } from './metrics/metrics.module';
import { PipelineModule } from './pipeline/pipeline.module';
import { TicketsModule } from './tickets/tickets.module';
import { TrackersModule } from './trackers/trackers.module';
import { ZendeskModule } from './zendesk/zendesk.module';

export interface AppModuleOptions {
  config: AppConfig & { databaseUrl: string };
  /** The database is the embedded PGlite (one connection, no advisory lock). */
  embedded: boolean;
  /** Skip migrations (only for producing the OpenAPI document without a database). */
  skipMigrations?: boolean;
}

/** pino-http logs finished requests at `info`: below that level its middleware would only cost time. */
export function logsRequests(level: string): boolean {
  return ['info', 'debug', 'trace'].includes(level);
}

@Module({})
export class AppModule {
  static forRoot({ config, embedded, skipMigrations }: AppModuleOptions): DynamicModule {
    // One instance, imported by the modules that sit above it (API, metrics).
    const pipeline = PipelineModule.forRoot(config);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          // Request logs (pino-http, at info) and the request-scoped logger only where they can be written: the
          // middleware and its AsyncLocalStorage cost about a third of a cached request's CPU, for nothing at warn.
          forRoutes: logsRequests(config.logLevel) ? [{ path: '{*splat}', method: RequestMethod.ALL }] : [],
          pinoHttp: {
            level: config.logLevel,
            redact: {
              paths: [
                'req.headers.authorization',
                'req.headers.cookie',
                'req.headers["x-api-key"]',
                'res.headers["set-cookie"]',
              ],
              censor: '[redacted]',
            },
            autoLogging: { ignore: (req) => req.url === '/health' },
            transport:
              !config.isProduction && config.nodeEnv !== 'test' && process.stdout.isTTY
                ? { target: 'pino-pretty', options: { singleLine: true } }
                : undefined,
          },
        }),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...dataSourceOptions(config.databaseUrl, embedded), autoLoadEntities: true }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            if (!skipMigrations) await runMigrations(dataSource, embedded);
            return dataSource;
          },
        }),
        RedisModule.forRoot(config.redisUrl),
        AuthModule,
        HealthModule,
        // Modules by what they own, in dependency order: each imports only those listed above it.
        TicketsModule,
        AccountsModule,
        ZendeskModule,
        LlmModule,
        AnalysisModule,
        IssuesModule,
        AlertsModule,
        TrackersModule,
        pipeline,
        MetricsModule.forRoot(config, pipeline),
        ApiModule.forRoot(config, pipeline),
      ],
    };
  }
}
