/**
 * bench/api/cache-hit — CPU per cache hit of the issues cache, in process (no HTTP: the rest of a request is the
 * same for both), on real Redis: the previous read path (cache-manager 7 + @keyv/redis: the generation, then the
 * value, parsed, then serialised again for the answer) against IssuesCacheService (memory first, bytes). Values are
 * answers of the measured sizes (an issue page of 50, a cluster page of 25, the summary).
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npx ts-node -T -P libs/testing/tsconfig.lib.json bench/api/cache-hit.ts
 */
import KeyvRedis from '@keyv/redis';
import { createCache } from 'cache-manager';
import Redis from 'ioredis';
import Keyv from 'keyv';
import { randomBytes, randomUUID } from 'node:crypto';
import { serializedJsonOf, shareSerialized } from '../../backend/src/app/common/serialized-json';
import type { AppConfig } from '../../backend/src/app/config/app-config';
import { IssuesCacheService } from '../../backend/src/app/issues/issues-cache.service';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const HITS = Number(process.env['HITS'] ?? 3000);
const CONCURRENCY = 50;

const issue = (i: number) => ({
  id: randomUUID(),
  ticketId: 100000 + i,
  ticketOriginalId: null,
  ticketSubject: `Export to CSV fails for large workspaces ${i}`,
  category: 'bug',
  subcategory: 'export',
  issueType: 'defect',
  severity: 'high',
  summary: 'CSV export times out when the workspace has more than 10k rows and the user gets an empty file.',
  detail: 'The customer tried three times; each export ended with a 504 and an empty download. '.repeat(3),
  quote: 'every time I export the report it just spins and then gives me an empty file',
  confidence: 0.87,
  ticketCreatedAt: new Date(1_760_000_000_000 + i * 60_000),
  clusterId: randomUUID(),
  clusterName: 'CSV export times out on large workspaces',
  organizationName: 'Acme Corp',
  zendeskUrl: `https://acme.zendesk.com/agent/tickets/${100000 + i}`,
});
const VALUES: [string, unknown][] = [
  ['issue page (50)', { items: Array.from({ length: 50 }, (_, i) => issue(i)), total: 41234, page: 5, perPage: 50 }],
  [
    'cluster page (25)',
    {
      items: Array.from({ length: 25 }, (_, i) => ({
        ...issue(i),
        issueCount: 300 - i,
        trendPct: 12,
        externalIssue: null,
      })),
      total: 4000,
      page: 1,
      perPage: 25,
    },
  ],
  [
    'summary',
    {
      days: 7,
      byCategory: Array.from({ length: 12 }, (_, i) => ({ key: `c${i}`, count: i * 7 })),
      top: Array.from({ length: 10 }, (_, i) => issue(i)),
    },
  ],
];

async function cpuPerHit(hit: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await hit(); // warm
  const before = process.cpuUsage();
  for (let done = 0; done < HITS; done += CONCURRENCY) await Promise.all(Array.from({ length: CONCURRENCY }, hit));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / HITS;
}

async function main() {
  const prefix = `hit${randomBytes(3).toString('hex')}`;
  const keyv = new KeyvRedis(REDIS_URL);
  // As @nestjs/cache-manager registered it: the Redis store wrapped in a Keyv.
  const old = createCache({ stores: [new Keyv({ store: keyv })] });
  const redis = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await new Promise((r) => redis.once('ready', r));
  const cache = new IssuesCacheService({ redisPrefix: prefix, apiCache: true } as AppConfig, redis);
  cache.onModuleInit();
  try {
    for (const [label, value] of VALUES) {
      const bytes = Buffer.byteLength(JSON.stringify(value));
      // The previous path: two GETs, the value parsed, the answer serialised again for the client.
      const generationKey = `${prefix}:old:generation`;
      await old.set(generationKey, 'g1');
      await old.set(`${prefix}:old:g1:${label}`, value);
      const check = await old.get<object>(`${prefix}:old:g1:${label}`);
      if (Buffer.byteLength(JSON.stringify(check)) !== bytes) throw new Error('the previous path did not hit');
      const before = await cpuPerHit(async () => {
        const generation = await old.get<string>(generationKey);
        const hit = await old.get<object>(`${prefix}:old:${generation}:${label}`);
        return serializedJsonOf(shareSerialized(hit));
      });
      // IssuesCacheService: one Redis read per process and generation, then the bytes from memory.
      const compute = async () => JSON.parse(JSON.stringify(value));
      const after = await cpuPerHit(async () => serializedJsonOf(await cache.wrap(label, compute)));
      if (serializedJsonOf(await cache.wrap(label, compute))?.length !== bytes) throw new Error('no hit');
      console.log(
        `${label.padEnd(18)} ${(bytes / 1024).toFixed(0).padStart(3)} KB  before ${before.toFixed(0).padStart(5)} µs/hit  after ${after.toFixed(1).padStart(5)} µs/hit`,
      );
    }
  } finally {
    cache.onApplicationShutdown();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await keyv.disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
