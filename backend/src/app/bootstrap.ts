import { INestApplication, Logger as NestLogger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import compression from 'compression';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule, AppModuleOptions } from './app.module';
import { AppConfig } from './config/app-config';
import { InputGuardPipe } from './common/input-guard.pipe';
import { SharedJsonExpressAdapter } from './common/serialized-json';
import { serveConsole } from './console-static';
import { EmbeddedPostgres, startEmbeddedPostgres } from './database/embedded-postgres';

export const GLOBAL_PREFIX = 'api';
export const BODY_LIMIT = '2mb';

export interface RunningApp {
  app: NestExpressApplication;
  config: AppConfig & { databaseUrl: string };
  embedded: boolean;
  /** Closes the app, then the embedded database if one was started. */
  close(): Promise<void>;
}

/**
 * Builds the HTTP application exactly as production runs it (used by `main.ts` and by the tests):
 * starts the embedded PostgreSQL when DATABASE_URL is unset, runs migrations, applies the global pipes,
 * security headers, CORS, body limit and OpenAPI. Does not listen.
 */
export async function createApp(config: AppConfig, options: { consoleDir?: string } = {}): Promise<RunningApp> {
  let embeddedDb: EmbeddedPostgres | undefined;
  if (!config.databaseUrl)
    embeddedDb = await startEmbeddedPostgres(config.dataDir, {
      warn: (message) => new NestLogger('EmbeddedPostgres').warn(message),
    });
  const resolved = { ...config, databaseUrl: config.databaseUrl ?? embeddedDb!.url };
  try {
    const app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot({ config: resolved, embedded: Boolean(embeddedDb) }),
      new SharedJsonExpressAdapter(),
      { bufferLogs: true, bodyParser: false },
    );
    configureApp(app, resolved);
    serveConsole(app, options.consoleDir);
    await app.init();
    return {
      app,
      config: resolved,
      embedded: Boolean(embeddedDb),
      async close() {
        await app.close();
        await embeddedDb?.stop();
      },
    };
  } catch (error) {
    await embeddedDb?.stop().catch(() => undefined);
    throw error;
  }
}

export function configureApp(app: NestExpressApplication, config: AppConfig): OpenAPIObject {
  app.useLogger(app.get(Logger));
  // Only the proxies TRUST_PROXY names may set the client address (X-Forwarded-For); by default nobody can.
  app.set('trust proxy', typeof config.trustProxy === 'object' ? [...config.trustProxy] : config.trustProxy);
  app.disable('x-powered-by');
  // No ETag on API answers (a SHA-1 of every body; the console never revalidates API calls); static files keep
  // their own.
  app.set('etag', false);
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Angular Material sets inline styles.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  // gzip for the console's bundles (≈ ¼ of their size) and larger JSON/CSV answers; small answers go as they are.
  app.use(compression({ threshold: 1024 }));
  app.enableCors({ origin: config.frontendUrls.length ? [...config.frontendUrls] : false });
  app.setGlobalPrefix(GLOBAL_PREFIX, { exclude: ['health', 'metrics'] });
  app.useGlobalPipes(
    new InputGuardPipe(),
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );
  const document = buildOpenApi(app);
  SwaggerModule.setup(`${GLOBAL_PREFIX}/docs`, app, document, {
    jsonDocumentUrl: `${GLOBAL_PREFIX}/docs-json`,
    swaggerOptions: { persistAuthorization: true },
  });
  return document;
}

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Product Issue Miner API')
    .setDescription(
      'Zendesk tickets in, ranked and trending product problems out. Bearer token from POST /api/auth/login.',
    )
    .setVersion('1.0')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, builder, { operationIdFactory: (_controller, method) => method });
}

export type { AppModuleOptions };
