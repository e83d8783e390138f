import { Injectable, Logger } from '@nestjs/common';
import { errorMessage } from '@app/common/errors';
import { AlertSettingsService } from '../alert-settings.service';
import { EmailSender } from '../channels/email.channel';
import { postJson } from '../channels/http-post';
import { ClusterContextRow, ClusterSignalsRepository } from '../repositories/cluster-signals.repository';
import { digestEmail, digestSlackPayload } from './digest-message';
import { DigestRepository } from './digest.repository';
import { DigestClusterResponse, DigestResponse } from './digest.response';

const PER_SECTION = 5;
const WEEK_MS = 7 * 86_400_000;

/**
 * The weekly digest: the week's top clusters, new and rising clusters, and regressions, with quotes and console
 * links; previewed in the console, sent by DIGEST_CRON to the e-mail and Slack channels of the alert settings.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger(DigestService.name);
  private readonly email = new EmailSender();

  constructor(
    private readonly digest: DigestRepository,
    private readonly signals: ClusterSignalsRepository,
    private readonly settings: AlertSettingsService,
  ) {}

  async build(now = new Date()): Promise<DigestResponse> {
    const { consoleUrl } = await this.settings.effective();
    const ids = await this.digest.sections(PER_SECTION);
    const all = [...new Set([...ids.top, ...ids.fresh, ...ids.rising, ...ids.regressions.map((r) => r.clusterId)])];
    const context = new Map((await this.signals.context(all)).map((c) => [c.id, c]));
    const of = (list: string[]) =>
      list.flatMap((id) => {
        const c = context.get(id);
        return c ? [clusterOf(c, consoleUrl)] : [];
      });
    return {
      from: new Date(now.getTime() - WEEK_MS),
      to: now,
      top: of(ids.top),
      new: of(ids.fresh),
      rising: of(ids.rising),
      regressions: of(ids.regressions.map((r) => r.clusterId)),
    };
  }

  /** Sends the digest to each enabled, configured channel (e-mail, Slack); returns the channels it reached. */
  async send(): Promise<string[]> {
    const settings = await this.settings.effective();
    const { slack, email } = settings.channels;
    const digest = await this.build();
    const sent: string[] = [];
    const timeoutMs = 15_000;
    if (slack.enabled && slack.webhookUrl)
      await postJson(slack.webhookUrl, JSON.stringify(digestSlackPayload(digest)), {}, timeoutMs).then(
        () => sent.push('slack'),
        (error: unknown) => this.logger.warn(`weekly digest to Slack failed: ${errorMessage(error)}`),
      );
    if (email.enabled && email.smtpUrl && email.from && email.to.length)
      await this.email.send(email.smtpUrl, email.from, email.to, digestEmail(digest), timeoutMs).then(
        () => sent.push('email'),
        (error: unknown) => this.logger.warn(`weekly digest e-mail failed: ${errorMessage(error)}`),
      );
    return sent;
  }

  /**
   * The digest of one DIGEST_CRON tick, sent once across every API replica sharing the database: the process that
   * claims the tick's scheduled time sends it; the others return null.
   */
  async sendForTick(scheduledAt: Date): Promise<string[] | null> {
    if (!(await this.digest.claimTick(scheduledAt))) return null;
    const sent = await this.send();
    await this.digest.recordTick(scheduledAt, sent);
    return sent;
  }
}

function clusterOf(c: ClusterContextRow, consoleUrl: string): DigestClusterResponse {
  return {
    id: c.id,
    name: c.name,
    issueCount: c.issueCount,
    count7d: c.count7d,
    trendPct: c.trendPct,
    uniqueCustomers: c.uniqueCustomers,
    severityMax: c.severityMax,
    quote: c.quote,
    url: `${consoleUrl}/clusters/${c.id}`,
  };
}
