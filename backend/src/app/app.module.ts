import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source';
import { runMigrations } from './database/migrate';
import { HealthModule } from './health/health.module';
import { RedisModule } from './redis/redis.module';

export interface AppModuleOptions {
  config: AppConfig & { databaseUrl: string };
  /** The database is the embedded PGlite (one connection, no advisory lock). */
  embedded: boolean;
  /** Where the built console lives; served at `/` when present. */
  consoleDir?: string;
  /** Skip migrations (only for producing the OpenAPI document without a database). */
  skipMigrations?: boolean;
}

/** Paths that belong to the API, never to the console's deep-link fallback. */
export const API_PATHS = ['/api/{*rest}', '/health', '/metrics'];

@Module({})
export class AppModule {
  static forRoot({ config, embedded, consoleDir, skipMigrations }: AppModuleOptions): DynamicModule {
    const consoleIndex = consoleDir && join(consoleDir, 'index.html');
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.logLevel,
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'],
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
        ...(consoleIndex && existsSync(consoleIndex)
          ? [
              ServeStaticModule.forRoot({
                rootPath: consoleDir,
                exclude: API_PATHS,
                serveStaticOptions: {
                  index: false,
                  // Hashed bundles are immutable; index.html must be revalidated so a deploy is picked up.
                  setHeaders: (res: { setHeader(name: string, value: string): void }, path: string) =>
                    res.setHeader('Cache-Control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
                },
              }),
            ]
          : []),
      ],
    };
  }
}
