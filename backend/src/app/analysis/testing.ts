import type { AnalysisTicket } from './analyzer';
import { DEFAULT_TAXONOMY } from './taxonomy/default-taxonomy';
import type { Taxonomy } from './taxonomy/taxonomy.types';

/** Test helpers (specs only). */
export const TEST_TAXONOMY: Taxonomy = {
  ...structuredClone(DEFAULT_TAXONOMY),
  version: 1,
  updatedAt: new Date('2026-01-01T00:00:00Z'),
  updatedBy: null,
};

export function ticket(id: number, subject: string, ...bodies: string[]): AnalysisTicket {
  const at = new Date('2026-10-01T10:00:00Z');
  return {
    zendeskId: id,
    contentHash: String(id).padStart(64, '0'),
    subject,
    status: 'open',
    priority: null,
    tags: [],
    organization: 'Globex',
    createdAt: at,
    updatedAt: at,
    messages: bodies.map((body, i) => ({
      author: i % 2 === 0 ? ('customer' as const) : ('agent' as const),
      public: true,
      body,
      createdAt: new Date(at.getTime() + i * 60_000),
    })),
  };
}
