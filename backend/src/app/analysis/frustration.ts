import { frustrationScore } from '@pim/text-mining';
import type { AnalysisOutcome, AnalysisTicket } from './analyzer';

/** How much of the customer's words the local scorer reads (the first messages say most). */
const MAX_CHARS = 20_000;

/**
 * A ticket's frustration, 0–1: the analyzer's (Claude's field) when it gave one, else the local lexicon scorer's
 * over the customer's public messages (the subject and description when authors are unknown). Null for a failed
 * analysis, which judged nothing.
 */
export function frustrationOf(ticket: AnalysisTicket, outcome: AnalysisOutcome): number | null {
  if (outcome.status === 'failed') return null;
  if (typeof outcome.frustration === 'number') return outcome.frustration;
  const customer = ticket.messages.filter(
    (m, i) => m.public && (m.author === 'customer' || (m.author === 'unknown' && i === 0)),
  );
  const text = [ticket.subject, ...customer.map((m) => m.body)].join('\n').slice(0, MAX_CHARS);
  return frustrationScore(text).score;
}
