import { Injectable } from '@nestjs/common';
import { IncomingTicket, TicketStore } from '../ticket-store.service';
import { ImportFormat, ImportRow, readTicketFile } from './ticket-file-reader';

const BATCH = 500;
/** Rejected rows reported individually (the count is always exact). */
const MAX_REPORTED = 200;

export interface ImportTotals {
  rowsImported: number;
  rowsRejected: number;
  ticketsChanged: number;
  changedIds: number[];
  rejected: { line: number; message: string }[];
}

/**
 * Imports a ticket file in batches: good rows land (idempotently — importing the same file twice changes
 * nothing), bad rows are reported with their line number and skipped.
 */
@Injectable()
export class TicketImportService {
  constructor(private readonly store: TicketStore) {}

  async importFile(
    path: string,
    format: ImportFormat,
    options: {
      source?: 'import' | 'demo';
      shiftDatesBySeconds?: number;
      progress?: (totals: ImportTotals) => Promise<void>;
    } = {},
  ): Promise<ImportTotals> {
    const totals: ImportTotals = { rowsImported: 0, rowsRejected: 0, ticketsChanged: 0, changedIds: [], rejected: [] };
    let batch: Extract<ImportRow, { ticket: IncomingTicket }>[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const orgs = new Map(batch.filter((r) => r.organization).map((r) => [r.organization!.id, r.organization!]));
      const people = new Map(batch.filter((r) => r.requester).map((r) => [r.requester!.id, r.requester!]));
      await this.store.upsertOrganizations([...orgs.values()].map((o) => ({ id: o.id, name: o.name })));
      const users = new Map<
        number,
        { id: number; name: string; email: string | null; organizationId: number | null; role: string }
      >();
      for (const r of batch)
        for (const a of r.authors ?? []) users.set(a.id, { ...a, email: null, organizationId: null });
      for (const p of people.values()) users.set(p.id, { ...p, role: 'end-user' });
      await this.store.upsertUsers([...users.values()]);
      const result = await this.store.upsertTickets(batch.map((r) => r.ticket));
      totals.rowsImported += batch.length;
      totals.ticketsChanged += result.textChanged.length;
      totals.changedIds.push(...result.textChanged);
      batch = [];
      await options.progress?.(totals);
    };
    for await (const row of readTicketFile(path, format, options.source ?? 'import')) {
      if ('error' in row) {
        totals.rowsRejected++;
        if (totals.rejected.length < MAX_REPORTED) totals.rejected.push({ line: row.line, message: row.error });
        continue;
      }
      if (options.shiftDatesBySeconds) shiftDates(row.ticket, options.shiftDatesBySeconds);
      batch.push(row);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    return totals;
  }

  /** The newest creation time in a file (for moving demo data up to today). */
  async newestCreatedAt(path: string, format: ImportFormat): Promise<Date | null> {
    let newest: Date | null = null;
    for await (const row of readTicketFile(path, format)) {
      if ('ticket' in row && (!newest || row.ticket.createdAt > newest)) newest = row.ticket.createdAt;
    }
    return newest;
  }
}

function shiftDates(ticket: IncomingTicket, seconds: number): void {
  const ms = seconds * 1000;
  ticket.createdAt = new Date(ticket.createdAt.getTime() + ms);
  ticket.updatedAt = new Date(ticket.updatedAt.getTime() + ms);
  for (const c of ticket.comments ?? []) c.createdAt = new Date(c.createdAt.getTime() + ms);
}
