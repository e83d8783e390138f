import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { PipelineQueue } from '@app/pipeline/queue/pipeline-queue';
import { MetricsRepository } from './metrics.repository';

/**
 * Prometheus metrics. Counts that several processes contribute to (API and workers) are read from the
 * database at scrape time, so any replica reports the same totals; process metrics are per process.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(
    private readonly repository: MetricsRepository,
    private readonly queue: PipelineQueue,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'pim_' });
    const runs = new Gauge({
      name: 'pim_runs',
      help: 'Runs by kind and status',
      labelNames: ['kind', 'status'],
      registers: [this.registry],
    });
    const zendesk = new Gauge({
      name: 'pim_zendesk_requests',
      help: 'Zendesk API requests made by all runs (kind=all) and the 429 answers among them (kind=rate_limited)',
      labelNames: ['kind'],
      registers: [this.registry],
    });
    const synced = new Gauge({
      name: 'pim_tickets_synced',
      help: 'Tickets fetched from Zendesk by all runs',
      registers: [this.registry],
    });
    const stored = new Gauge({
      name: 'pim_tickets_stored',
      help: 'Tickets stored (not deleted)',
      registers: [this.registry],
    });
    const depth = new Gauge({
      name: 'pim_queue_depth',
      help: 'Pipeline jobs waiting or active',
      registers: [this.registry],
    });
    this.refresh = async () => {
      const rows = await this.repository.runCounts();
      runs.reset();
      for (const r of rows) runs.set({ kind: r.kind, status: r.status }, r.n);
      const t = await this.repository.totals();
      zendesk.set({ kind: 'all' }, Number(t.requests));
      zendesk.set({ kind: 'rate_limited' }, Number(t.limited));
      synced.set(Number(t.fetched));
      stored.set(Number(t.stored));
      depth.set(await this.queue.depth());
    };
  }

  private readonly refresh: () => Promise<void>;

  async metrics(): Promise<string> {
    await this.refresh();
    return this.registry.metrics();
  }
}
