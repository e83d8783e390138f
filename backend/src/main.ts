import 'reflect-metadata';
import cluster from 'node:cluster';
import { join } from 'node:path';
import { createApp } from './app/bootstrap';
import { superviseApiProcesses } from './app/common/api-processes';
import { onShutdownSignal } from './app/common/shutdown';
import { exitOnFailure } from './app/common/entry-point';
import { loadConfig } from './app/config/app-config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (config.apiProcesses > 1 && config.processRole !== 'worker' && cluster.isPrimary) {
    // This process only supervises: the API processes it forks run this entry point again and serve.
    const supervisor = superviseApiProcesses(config.apiProcesses);
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => supervisor.stop(signal));
    process.stdout.write(`Product Issue Miner: ${config.apiProcesses} API processes on port ${config.port}\n`);
    return;
  }
  const whenReady = onShutdownSignal();
  // The console is built next to the API: dist/frontend/browser beside dist/backend.
  const running = await createApp(config, { consoleDir: join(__dirname, '..', 'frontend', 'browser') });
  // No host: Node listens on both IPv6 and IPv4 (Railway's private network is IPv6).
  await running.app.listen(config.port);
  whenReady(() => running.close());
  process.stdout.write(
    `Product Issue Miner listening on http://localhost:${config.port} ` +
      `(database: ${running.embedded ? `embedded in ${config.dataDir}` : 'PostgreSQL'}, ` +
      `jobs: ${config.redisUrl ? 'Redis' : 'in-process'}, role: ${config.processRole})\n`,
  );
}

main().catch(exitOnFailure('Failed to start'));
