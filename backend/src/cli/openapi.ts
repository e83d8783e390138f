import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { writeFileSync } from 'node:fs';
import { AppModule } from '@app/app.module';
import { buildOpenApi, GLOBAL_PREFIX } from '@app/bootstrap';
import { loadConfig } from '@app/config/app-config';

/**
 * Writes the OpenAPI document with sorted keys (stable diffs) to the path given as the first argument.
 * Uses Nest's preview mode: modules and routes are scanned, nothing connects to a database.
 */
async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: openapi.js OUTPUT.json');
  const config = loadConfig({ JWT_SECRET: 'x'.repeat(32), NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({
      config: { ...config, databaseUrl: 'postgres://openapi@127.0.0.1:1/none' },
      embedded: false,
      skipMigrations: true,
    }),
    { preview: true, logger: false },
  );
  app.setGlobalPrefix(GLOBAL_PREFIX, { exclude: ['health', 'metrics'] });
  const document = buildOpenApi(app);
  writeFileSync(out, JSON.stringify(sortKeys(document), null, 2) + '\n');
  await app.close();
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`OpenAPI generation failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
