import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { PageQuery, pageWindow } from '@app/common/pagination';
import { isUniqueViolation } from '@app/common/errors';
import { Run, RunKind, RunParams, RunTrigger } from './entities/run.entity';
import { RunRepository } from './repositories/run.repository';

/** Creating runs and reading their history. The database enforces one active run, and one run per schedule tick. */
@Injectable()
export class RunsService {
  /** Set by the run reaper: ends an active run whose owner is gone, so a dead run never answers 409. */
  private endIfDead?: (run: Run) => Promise<boolean>;

  constructor(private readonly runs: RunRepository) {}

  /** The reaper registers here (it depends on the queue, which depends on this service through the pipeline). */
  onActiveRunFound(check: (run: Run) => Promise<boolean>): void {
    this.endIfDead = check;
  }

  /**
   * Creates a queued run. Throws 409 while another run is active. With a `scheduleKey`, returns null when a
   * run for that tick exists already (another replica created it).
   */
  async create(input: {
    kind: RunKind;
    trigger: RunTrigger;
    params?: RunParams;
    scheduleKey?: string;
    requestedBy?: string | null;
  }): Promise<Run | null> {
    // The common case answered without a failing INSERT; the unique indexes still decide races.
    let active = await this.runs.active();
    if (active && (await this.endIfDead?.(active))) active = await this.runs.active();
    if (active) {
      if (input.scheduleKey) return null;
      throw new ConflictException(`A run is already in progress (${active.id}); try again when it ends`);
    }
    try {
      return await this.runs.insertQueued({
        kind: input.kind,
        trigger: input.trigger,
        params: input.params ?? {},
        scheduleKey: input.scheduleKey ?? null,
        requestedBy: input.requestedBy ?? null,
      });
    } catch (error) {
      if (isUniqueViolation(error, 'runs_schedule_key')) return null;
      if (isUniqueViolation(error, 'runs_one_active')) {
        if (input.scheduleKey) return null;
        const active = await this.runs.active();
        throw new ConflictException(
          `A run is already in progress (${active?.id ?? 'unknown'}); try again when it ends`,
        );
      }
      throw error;
    }
  }

  async getOrFail(id: string): Promise<Run> {
    const run = await this.runs.get(id);
    if (!run) throw new NotFoundException(`Run ${id} not found`);
    return run;
  }

  async list(query: PageQuery): Promise<{ items: Run[]; total: number; page: number; perPage: number }> {
    const { skip, take, page, perPage } = pageWindow(query);
    const [items, total] = await this.runs.page(skip, take);
    return { items, total, page, perPage };
  }
}
