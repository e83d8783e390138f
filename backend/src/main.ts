import 'reflect-metadata';
import { join } from 'node:path';
import { createApp } from './app/bootstrap';
import { ConfigError, loadConfig } from './app/config/app-config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // The console is built next to the API: dist/frontend/browser beside dist/backend.
  const running = await createApp(config, { consoleDir: join(__dirname, '..', 'frontend', 'browser') });
  // No host: Node listens on both IPv6 and IPv4 (Railway's private network is IPv6).
  await running.app.listen(config.port);
  process.stdout.write(
    `Product Issue Miner listening on http://localhost:${config.port} ` +
      `(database: ${running.embedded ? `embedded in ${config.dataDir}` : 'PostgreSQL'}, ` +
      `jobs: ${config.redisUrl ? 'Redis' : 'in-process'}, role: ${config.processRole})\n`,
  );
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`${signal}: shutting down\n`);
    await running.close().catch((error: unknown) => process.stderr.write(`shutdown: ${String(error)}\n`));
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // One line for configuration problems; the stack for anything unexpected.
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `Failed to start: ${(error as Error)?.stack ?? String(error)}\n`,
  );
  process.exit(1);
});
