export class CostTotalsResponse {
  /** Billed calls (realtime messages and batch requests). */
  calls!: number;
  batchCalls!: number;
  inputTokens!: number;
  outputTokens!: number;
  cacheWriteTokens!: number;
  cacheReadTokens!: number;
  /** USD at list price from the configured price table. */
  costUsd!: number;
  /** Calls of models missing from the price table (not in costUsd). */
  unpricedCalls!: number;
}

export class DayModelCostResponse extends CostTotalsResponse {
  /** UTC day, YYYY-MM-DD. */
  day!: string;
  model!: string;
}

export class ModelCostResponse extends CostTotalsResponse {
  model!: string;
}

export class RunCostResponse extends CostTotalsResponse {
  runId!: string | null;
  runCreatedAt!: Date | null;
  /** Tickets the run analysed (any outcome). */
  ticketsAnalyzed!: number;
}

export class AnalysisCostsResponse {
  days!: number;
  from!: Date;
  to!: Date;
  totals!: CostTotalsResponse;
  byDay!: DayModelCostResponse[];
  byModel!: ModelCostResponse[];
  /** Newest run first. */
  byRun!: RunCostResponse[];
}
