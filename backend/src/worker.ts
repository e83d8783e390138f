import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app/app.module';
import { onShutdownSignal } from './app/common/shutdown';
import { exitOnFailure } from './app/common/entry-point';
import { loadConfig } from './app/config/app-config';

/**
 * Queue worker: the same modules without HTTP. Started as `node dist/backend/worker.js` (or main.js with
 * PROCESS_ROLE=worker); needs DATABASE_URL and REDIS_URL, which the config schema enforces for this role.
 */
async function main(): Promise<void> {
  const whenReady = onShutdownSignal();
  const config = loadConfig({ ...process.env, PROCESS_ROLE: 'worker' });
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config: { ...config, databaseUrl: config.databaseUrl! }, embedded: false }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  await app.init();
  whenReady(() => app.close());
  process.stdout.write('Product Issue Miner worker ready\n');
}

main().catch(exitOnFailure('Worker failed'));
