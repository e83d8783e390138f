import { Get, Query, Res } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { type CsvSink, ExportService } from './export.service';
import { ExportClustersQuery } from './dto/list-clusters.query';
import { ExportIssuesQuery } from './dto/list-issues.query';
import { ApiController } from '@app/common/api-controller';

/**
 * Resolves once the response accepted the chunk (waits for `drain` under back-pressure); rejects when the client
 * goes away meanwhile, so the export ends and frees its rows instead of waiting for a `drain` that never comes.
 */
function sink(res: Response) {
  return (chunk: string) =>
    new Promise<void>((resolve, reject) => {
      if (res.destroyed) return reject(new Error('client went away'));
      if (res.write(chunk)) return resolve();
      const settle = (error?: Error) => {
        res.off('drain', onDrain);
        res.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => settle();
      const onClose = () => settle(new Error('client went away'));
      res.once('drain', onDrain);
      res.once('close', onClose);
    });
}

/** Streams the CSV `write` produces as the download `name-YYYY-MM-DD.csv`; a failure midway destroys the response. */
async function streamCsv(res: Response, name: string, write: (sink: CsvSink) => Promise<unknown>): Promise<void> {
  const stamp = new Date().toISOString().slice(0, 10);
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}-${stamp}.csv"`);
  res.setHeader('Cache-Control', 'no-store');
  await write(sink(res)).catch((error: Error) => res.destroy(error));
  res.end();
}

@ApiController('export', 'export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  /** Issues as CSV (streamed), with the issue list's filters and cluster names; formula cells escaped. */
  @Get('issues')
  @ApiProduces('text/csv')
  exportIssues(@Query() query: ExportIssuesQuery, @Res() res: Response): Promise<void> {
    return streamCsv(res, 'issues', (write) => this.exports.issuesCsv(query, write));
  }

  /** Clusters as CSV (streamed), with the cluster list's filters; formula cells escaped. */
  @Get('clusters')
  @ApiProduces('text/csv')
  exportClusters(@Query() query: ExportClustersQuery, @Res() res: Response): Promise<void> {
    return streamCsv(res, 'clusters', (write) => this.exports.clustersCsv(query, write));
  }
}
