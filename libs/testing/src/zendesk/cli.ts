/**
 * Local Zendesk simulator (`npm run dev:zendesk`), or a dataset export.
 *
 *   serve (default)   env ZENDESK_SIM_PORT (8025), ZENDESK_SIM_HOST (127.0.0.1), ZENDESK_SIM_TICKETS (500),
 *                     ZENDESK_SIM_SEED (42), ZENDESK_SIM_PLAN (enterprise), ZENDESK_SIM_TIME_SCALE (1),
 *                     ZENDESK_SIM_EMAIL / ZENDESK_SIM_API_TOKEN / ZENDESK_SIM_OAUTH_TOKEN, ZENDESK_SIM_LOG=1
 *   export --out FILE [--format jsonl|zendesk-ndjson|zendesk-json|labels-jsonl] [--tickets N] [--seed S] [--include-deleted] [--labels]
 */
import { ZendeskDataset } from './dataset';
import { DatasetExportFormat, exportDatasetToFile } from './export';
import { PLAN_LIMITS, ZendeskPlan } from './rate-limit';
import { DEFAULT_SIM_API_TOKEN, DEFAULT_SIM_EMAIL, DEFAULT_SIM_OAUTH_TOKEN, ZendeskSimulator } from './simulator';

function fail(message: string): never {
  process.stderr.write(`zendesk-sim: ${message}\n`);
  process.exit(1);
}

function intEnv(name: string, def: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) fail(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
  return Number(raw);
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) fail(`${name} needs a value`);
  return v;
}

async function serve(): Promise<void> {
  const port = intEnv('ZENDESK_SIM_PORT', 8025, 0, 65535);
  const tickets = intEnv('ZENDESK_SIM_TICKETS', 500, 0, 1_000_000);
  const seed = intEnv('ZENDESK_SIM_SEED', 42, 0, 4294967295);
  const planRaw = process.env['ZENDESK_SIM_PLAN'] || 'enterprise';
  if (!(planRaw in PLAN_LIMITS)) fail(`ZENDESK_SIM_PLAN must be one of ${Object.keys(PLAN_LIMITS).join(', ')} (got "${planRaw}")`);
  const scaleRaw = process.env['ZENDESK_SIM_TIME_SCALE'] || '1';
  const timeScale = Number(scaleRaw);
  if (!(timeScale > 0)) fail(`ZENDESK_SIM_TIME_SCALE must be a positive number (got "${scaleRaw}")`);
  const email = process.env['ZENDESK_SIM_EMAIL'] || DEFAULT_SIM_EMAIL;
  const token = process.env['ZENDESK_SIM_API_TOKEN'] || DEFAULT_SIM_API_TOKEN;
  const oauth = process.env['ZENDESK_SIM_OAUTH_TOKEN'] || DEFAULT_SIM_OAUTH_TOKEN;

  const started = Date.now();
  const sim = new ZendeskSimulator({
    dataset: { tickets, seed },
    plan: planRaw as ZendeskPlan,
    timeScale,
    apiTokens: [{ email, token, role: 'admin' }],
    oauthTokens: [oauth],
    host: process.env['ZENDESK_SIM_HOST'] || '127.0.0.1',
  });
  const { url } = await sim.start(port);
  const limits = sim.limits;
  const out = process.stdout;
  out.write(
    `Zendesk simulator listening on ${url}\n` +
      `  ${sim.dataset.ticketCount} tickets (seed ${seed}), ${sim.dataset.organizationCount} organizations, ` +
      `${sim.dataset.userCount} users, generated in ${Date.now() - started} ms\n` +
      `  limits: ${limits.perMinute}/min (plan ${planRaw}), incremental ${limits.incrementalPerMinute}/min, time scale ${timeScale}\n` +
      `  connect the app with:\n` +
      `    ZENDESK_API_URL=${url} ZENDESK_SUBDOMAIN=${sim.dataset.subdomain} ZENDESK_EMAIL=${email} ZENDESK_API_TOKEN=${token}\n` +
      `    (or ZENDESK_OAUTH_TOKEN=${oauth})\n`,
  );
  if (process.env['ZENDESK_SIM_LOG'] === '1') {
    let seen = 0;
    const timer = setInterval(() => {
      while (seen < sim.requestLog.length) {
        const e = sim.requestLog[seen++];
        if (e) out.write(`${new Date(e.time).toISOString()} ${e.method} ${e.path}${e.query} -> ${e.status}${e.early ? ' (early!)' : ''}\n`);
      }
    }, 250);
    timer.unref();
  }
  const shutdown = (): void => {
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

async function exportCommand(args: string[]): Promise<void> {
  const file = argValue(args, '--out') ?? fail('export needs --out FILE');
  const format = (argValue(args, '--format') ?? 'jsonl') as DatasetExportFormat;
  if (!['jsonl', 'zendesk-ndjson', 'zendesk-json', 'labels-jsonl'].includes(format)) fail(`unknown --format ${format}`);
  const tickets = Number(argValue(args, '--tickets') ?? process.env['ZENDESK_SIM_TICKETS'] ?? 500);
  const seed = Number(argValue(args, '--seed') ?? process.env['ZENDESK_SIM_SEED'] ?? 42);
  if (!Number.isInteger(tickets) || tickets < 0) fail('--tickets must be a non-negative integer');
  if (!Number.isInteger(seed) || seed < 0) fail('--seed must be a non-negative integer');
  const ds = new ZendeskDataset({ tickets, seed });
  const result = await exportDatasetToFile(ds, file, {
    format,
    includeDeleted: args.includes('--include-deleted'),
    includeLabels: args.includes('--labels'),
  });
  process.stdout.write(`wrote ${result.tickets} tickets, ${result.comments} comments (${result.bytes} bytes) to ${file}\n`);
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'serve') return serve();
  if (command === 'export') return exportCommand(rest);
  fail(`unknown command "${command}" (use "serve" or "export")`);
}

if (require.main === module) {
  main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
}
