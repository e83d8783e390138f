import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { errorMessage } from '@app/common/errors';
import type { IncomingTicket } from '../incoming-ticket';
import { TicketStore } from '../ticket-store.service';
import { DEFAULT_MAX_RECORD_BYTES, ImportFormat, ImportRow, readTicketFile } from './ticket-file-reader';

const BATCH = 500;
/** Rows reported individually (the counts are always exact). */
const MAX_REPORTED = 200;

export interface ImportTotals {
  rowsImported: number;
  rowsRejected: number;
  /** Rows not written because Zendesk owns the ticket (synced, or deleted there). */
  rowsSkipped: number;
  /** Synced users a row named with other values: kept as Zendesk has them. */
  usersKept: number;
  ticketsChanged: number;
  changedIds: number[];
  /** Rows reported by line: rejected, skipped, or stored with a note (a field dropped, a synced user kept). */
  rejected: { line: number; message: string }[];
}

type GoodRow = Extract<ImportRow, { ticket: IncomingTicket }>;

/**
 * Imports a ticket file in batches: good rows land (idempotently — importing the same file twice changes
 * nothing), bad rows are reported with their line number and skipped. A batch the database refuses is split
 * until the row it refuses is found and reported; what Zendesk owns is never overwritten.
 */
@Injectable()
export class TicketImportService {
  private readonly maxRecordBytes: number;

  constructor(
    private readonly store: TicketStore,
    @Optional() @Inject(APP_CONFIG) config?: AppConfig,
  ) {
    this.maxRecordBytes = config?.importMaxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  async importFile(
    path: string,
    format: ImportFormat,
    options: {
      source?: 'import' | 'demo';
      shiftDatesBySeconds?: number;
      progress?: (totals: ImportTotals) => Promise<void>;
    } = {},
  ): Promise<ImportTotals> {
    const source = options.source ?? 'import';
    const totals: ImportTotals = {
      rowsImported: 0,
      rowsRejected: 0,
      rowsSkipped: 0,
      usersKept: 0,
      ticketsChanged: 0,
      changedIds: [],
      rejected: [],
    };
    const report = (line: number, message: string) => {
      if (totals.rejected.length < MAX_REPORTED) totals.rejected.push({ line, message });
    };
    let batch: GoodRow[] = [];
    // One batch is written while the next is read and parsed (the database's work and this process's overlap);
    // batches are written one at a time, in file order, so a ticket repeated later in the file still wins.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      if (!batch.length) return;
      const rows = batch;
      batch = [];
      await writing;
      const write = (async () => {
        await this.mapOriginalIds(rows);
        await this.storeIsolating(rows, source, totals, report);
        await options.progress?.(totals);
      })();
      write.catch(() => undefined); // awaited by the next flush or at the end, where its error is thrown
      writing = write;
    };
    try {
      for await (const row of readTicketFile(path, format, source, this.maxRecordBytes)) {
        if ('error' in row) {
          totals.rowsRejected++;
          report(row.line, row.error);
          continue;
        }
        if (options.shiftDatesBySeconds) shiftDates(row.ticket, options.shiftDatesBySeconds);
        batch.push(row);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
    } catch (error) {
      await writing.catch(() => undefined); // no write goes on after the import ended
      throw error;
    }
    await writing;
    return totals;
  }

  /** Rows known by another tool's id get their internal id: the stored one on a re-import, else a free one. */
  private async mapOriginalIds(rows: GoodRow[]): Promise<void> {
    const originals = rows.map((r) => r.ticket.originalId).filter((o): o is string => !!o);
    if (!originals.length) return;
    const ids = await this.store.mapOriginalIds(originals);
    for (const r of rows) if (r.ticket.originalId) r.ticket.zendeskId = ids.get(r.ticket.originalId)!;
  }

  /** The newest creation time in a file (for moving demo data up to today). */
  async newestCreatedAt(path: string, format: ImportFormat): Promise<Date | null> {
    let newest: Date | null = null;
    for await (const row of readTicketFile(path, format, 'import', this.maxRecordBytes)) {
      if ('ticket' in row && (!newest || row.ticket.createdAt > newest)) newest = row.ticket.createdAt;
    }
    return newest;
  }

  /**
   * Stores a batch; when the database refuses the data (not when it is away), halves it until the refused row is
   * alone, and rejects that row with its line. Every write is idempotent, so storing a half again is safe.
   */
  private async storeIsolating(
    rows: GoodRow[],
    source: 'import' | 'demo',
    totals: ImportTotals,
    report: (line: number, message: string) => void,
  ): Promise<void> {
    try {
      await this.storeBatch(rows, source, totals, report);
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (rows.length === 1) {
        totals.rowsRejected++;
        report(rows[0]!.line, `the database refused the row: ${errorMessage(error)}`);
        return;
      }
      const half = Math.ceil(rows.length / 2);
      await this.storeIsolating(rows.slice(0, half), source, totals, report);
      await this.storeIsolating(rows.slice(half), source, totals, report);
    }
  }

  private async storeBatch(
    batch: GoodRow[],
    source: 'import' | 'demo',
    totals: ImportTotals,
    report: (line: number, message: string) => void,
  ): Promise<void> {
    const orgs = new Map(batch.filter((r) => r.organization).map((r) => [r.organization!.id, r.organization!]));
    const people = new Map(batch.filter((r) => r.requester).map((r) => [r.requester!.id, r.requester!]));
    await this.store.upsertOrganizations(
      [...orgs.values()].map((o) => ({ id: o.id, name: o.name })),
      source,
    );
    const users = new Map<
      number,
      { id: number; name: string; email: string | null; organizationId: number | null; role: string }
    >();
    for (const r of batch)
      for (const a of r.authors ?? []) users.set(a.id, { ...a, email: null, organizationId: null });
    for (const p of people.values()) users.set(p.id, { ...p, role: 'end-user' });
    const { kept } = await this.store.upsertUsers([...users.values()], source);
    const result = await this.store.upsertTickets(batch.map((r) => r.ticket));
    // Reported only once the batch is stored (a split batch is stored again).
    for (const r of batch) for (const note of r.notes ?? []) report(r.line, note);
    const keptById = new Map(kept.map((k) => [k.id, k.fields]));
    totals.usersKept += kept.length;
    for (const r of batch) {
      const named = [r.requester?.id, ...(r.authors ?? []).map((a) => a.id)];
      for (const id of new Set(named))
        if (id !== undefined && keptById.has(id))
          report(
            r.line,
            `user ${id} is synced from Zendesk: its ${keptById.get(id)!.join(', ')} kept as Zendesk has them`,
          );
    }
    // A batch holding an id twice stores the last row: that row is the one reported.
    const lineOf = new Map(batch.map((r) => [r.ticket.zendeskId, r.line]));
    for (const s of result.skipped)
      report(
        lineOf.get(s.zendeskId)!,
        s.reason === 'deleted'
          ? `ticket ${s.zendeskId} was deleted in Zendesk: an import does not restore it (skipped)`
          : `ticket ${s.zendeskId} is synced from Zendesk: an import does not overwrite it (skipped)`,
      );
    totals.rowsSkipped += result.skipped.length;
    totals.rowsImported += batch.length - result.skipped.length;
    totals.ticketsChanged += result.textChanged.length;
    totals.changedIds.push(...result.textChanged);
  }
}

/**
 * PostgreSQL refused the values (class 22: data exception, e.g. a number out of range; class 23: a constraint), as
 * opposed to a connection or server problem, which fails the run to be retried whole.
 */
function isDataError(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

function shiftDates(ticket: IncomingTicket, seconds: number): void {
  const ms = seconds * 1000;
  ticket.createdAt = new Date(ticket.createdAt.getTime() + ms);
  ticket.updatedAt = new Date(ticket.updatedAt.getTime() + ms);
  for (const c of ticket.comments ?? []) c.createdAt = new Date(c.createdAt.getTime() + ms);
}
