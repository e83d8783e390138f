import { ApiProperty } from '@nestjs/swagger';
import { Issue } from '../entities/issue.entity';
import { TicketAnalysis } from '../entities/ticket-analysis.entity';
import { pick } from '@app/common/pick';

export class TicketIssueResponse {
  id!: string;
  category!: string;
  subcategory!: string;
  issueType!: string;
  severity!: string;
  summary!: string;
  detail!: string;
  /** Verbatim from the ticket, or null when the analyzer's quote was not found in it. */
  quote!: string | null;
  quoteVerified!: boolean;
  flags!: string[];
  confidence!: number;

  static from(i: Issue): TicketIssueResponse {
    return Object.assign(
      new TicketIssueResponse(),
      pick(i, [
        'id',
        'category',
        'subcategory',
        'issueType',
        'severity',
        'summary',
        'detail',
        'quote',
        'quoteVerified',
        'flags',
        'confidence',
      ]),
    );
  }
}

export class TicketAnalysisResponse {
  @ApiProperty({ enum: ['claude', 'local'] })
  analyzer!: string;
  model!: string;
  @ApiProperty({ enum: ['issues_found', 'no_product_issue', 'failed'] })
  status!: string;
  /** Why: the analyzer's reason, or the failure. */
  reason!: string;
  inputTokens!: number;
  outputTokens!: number;
  cacheWriteTokens!: number;
  cacheReadTokens!: number;
  costUsd!: number | null;
  createdAt!: Date;
  /** The ticket changed since (or re-analysis was asked for): it is analysed again by the next run. */
  pending!: boolean;
  /** 0–1: how frustrated the customer reads (0.5 neutral); Claude's judgement, else the local lexicon scorer's. */
  frustration!: number | null;

  static from(a: TicketAnalysis, pending: boolean): TicketAnalysisResponse {
    return Object.assign(new TicketAnalysisResponse(), {
      ...pick(a, [
        'analyzer',
        'model',
        'status',
        'reason',
        'inputTokens',
        'outputTokens',
        'cacheWriteTokens',
        'cacheReadTokens',
        'costUsd',
        'createdAt',
      ]),
      pending,
      frustration: a.frustration ?? null,
    });
  }
}
