import { SchedulerRegistry } from '@nestjs/schedule';
import { SlackWebhookReceiver, SmtpReceiver } from '@pim/testing';
import { Client } from 'pg';
import { startTestApp, TestApp } from '../../../testing/test-app';
import { createTestDatabase, TestDatabase } from '../../../testing/test-database';
import { DIGEST_JOB, DigestScheduler } from './digest.scheduler';
import { DigestService } from './digest.service';

/** The weekly digest with two API replicas on one database: each tick's digest is sent once, not once per replica. */
describe('weekly digest across two API processes (real PostgreSQL, Slack receiver over HTTP, a real SMTP server)', () => {
  const slack = new SlackWebhookReceiver();
  const smtp = new SmtpReceiver();
  let database: TestDatabase;
  let db: Client;
  const apps: TestApp[] = [];
  const rows = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;
  const stopCrons = () => {
    for (const app of apps) {
      const registry = app.running.app.get(SchedulerRegistry);
      if (registry.doesExist('cron', DIGEST_JOB)) registry.deleteCronJob(DIGEST_JOB);
    }
  };
  /** Until every claimed tick has recorded where its digest went (a send may still be under way). */
  const settled = async () => {
    for (let i = 0; i < 200; i++) {
      const [{ n }] = await rows(`SELECT count(*)::int AS n FROM digest_ticks WHERE sent_to IS NULL`);
      if (n === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('digest ticks did not settle');
  };

  beforeAll(async () => {
    const slackUrl = (await slack.start()) + slack.path;
    const smtpUrl = await smtp.start();
    database = await createTestDatabase();
    const env = {
      // Every second, so both processes fire the same ticks within the test.
      DIGEST_CRON: '* * * * * *',
      ALERT_SLACK_WEBHOOK_URL: slackUrl,
      SMTP_URL: smtpUrl,
      ALERT_EMAIL_FROM: 'digest@pim.test',
      ALERT_EMAIL_TO: 'pm@pim.test',
      FRONTEND_URL: 'https://console.pim.test',
    };
    apps.push(await startTestApp({ database, env }));
    apps.push(await startTestApp({ database, env }));
    db = new Client({ connectionString: database.url });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    for (const app of apps) await app.close();
    await database?.drop();
    await Promise.all([slack.stop(), smtp.stop()]);
  });

  it('both processes fire the same cron ticks; each tick sends one digest to Slack and one e-mail', async () => {
    const [first, second] = apps.map((app) => {
      const times: number[] = [];
      const service = app.running.app.get(DigestService);
      const original = service.sendForTick.bind(service);
      jest.spyOn(service, 'sendForTick').mockImplementation((at: Date) => {
        times.push(at.getTime());
        return original(at);
      });
      return times;
    }) as [number[], number[]];
    // Until both processes have fired at least three ticks of the same scheduled times.
    const common = () => first.filter((t) => second.includes(t));
    for (let i = 0; i < 200 && common().length < 3; i++) await new Promise((r) => setTimeout(r, 100));
    stopCrons();
    await settled();

    expect(common().length).toBeGreaterThanOrEqual(3);
    // The scheduled times are whole seconds (the cron's, not the moment a timer happened to fire).
    for (const t of [...first, ...second]) expect(t % 1000).toBe(0);
    const ticks = await rows(`SELECT scheduled_at, sent_to FROM digest_ticks ORDER BY scheduled_at`);
    // Every tick fired has its claim (ticks before the spies were installed have theirs too).
    const claimed = ticks.map((r) => new Date(r.scheduled_at).getTime());
    for (const t of [...first, ...second]) expect(claimed).toContain(t);
    for (const tick of ticks) expect([...tick.sent_to].sort()).toEqual(['email', 'slack']);
    // One digest per tick, though both processes fired most of them.
    expect(slack.accepted).toHaveLength(ticks.length);
    for (const message of slack.accepted) expect(message.rawBody).toContain('Weekly digest');
    expect(smtp.messages).toHaveLength(ticks.length);
    for (const mail of smtp.messages) {
      expect(mail.to).toEqual(['pm@pim.test']);
      expect(mail.raw).toMatch(/Subject: \[PIM\] Weekly digest/);
    }
  }, 60_000);

  it('the same tick fired at the same moment in both processes is sent by exactly one of them', async () => {
    stopCrons();
    slack.reset();
    smtp.messages.length = 0;
    for (const round of [1, 2, 3]) {
      const at = new Date(Date.UTC(2026, 0, round, 8));
      const results = await Promise.all(apps.map((app) => app.running.app.get(DigestScheduler).tick(at)));
      expect(results.filter((r) => r === null)).toHaveLength(1);
      expect(results.find((r) => r !== null)?.sort()).toEqual(['email', 'slack']);
      expect(slack.accepted).toHaveLength(round);
      expect(smtp.messages).toHaveLength(round);
      // The e-mail has both parts.
      const mail = smtp.messages[round - 1]?.raw;
      expect(mail).toMatch(/Content-Type: text\/plain/i);
      expect(mail).toMatch(/Content-Type: text\/html/i);
      // Fired again later (a replica whose clock or timer is late): still nothing more.
      expect(await apps[1]?.running.app.get(DigestScheduler).tick(at)).toBeNull();
      expect(slack.accepted).toHaveLength(round);
    }
  }, 60_000);
});
