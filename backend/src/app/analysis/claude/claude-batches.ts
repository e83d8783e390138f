import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { TimeSlicer } from '@app/common/event-loop';
import type { AnalysisOutcome, AnalysisTicket, BatchAnswer, BatchCapability, PriorAttempts } from '../analyzer';
import type { Taxonomy } from '../taxonomy/taxonomy.types';
import type { ClaudeAnalyzer } from './claude-analyzer';

/** The `claude` analyzer's batch capability: Message Batches built and read with the analyzer's prompt and parser. */
export class ClaudeBatches implements BatchCapability {
  constructor(private readonly claude: ClaudeAnalyzer) {}

  async submit(
    requests: ReadonlyArray<{ customId: string; ticket: AnalysisTicket }>,
    taxonomy: Taxonomy,
  ): Promise<string> {
    const rendered: Array<{ custom_id: string; params: MessageCreateParamsNonStreaming }> = [];
    // Rendering (redaction) of thousands of tickets is CPU work: in slices, so the API keeps answering.
    const slicer = new TimeSlicer();
    for (const { customId, ticket } of requests) {
      rendered.push({ custom_id: customId, params: this.claude.params(ticket, taxonomy, { batch: true }) });
      await slicer.maybeYield();
    }
    return this.claude.submitBatch(rendered);
  }

  status(batchId: string): Promise<string> {
    return this.claude.batchStatus(batchId);
  }

  async results(batchId: string, taxonomy: Taxonomy): Promise<Map<string, BatchAnswer>> {
    const out = new Map<string, BatchAnswer>();
    for (const [customId, result] of await this.claude.batchResults(batchId)) {
      if (result.type !== 'succeeded') continue;
      const message = result.message;
      out.set(customId, {
        call: this.claude.billed(message, batchId),
        answer: this.claude.interpret(message, taxonomy),
      });
    }
    return out;
  }

  analyzeRealtime(ticket: AnalysisTicket, taxonomy: Taxonomy, prior: PriorAttempts): Promise<AnalysisOutcome> {
    return this.claude.analyzeRealtime(ticket, taxonomy, prior);
  }
}
