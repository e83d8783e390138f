import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, QueryFailedError, Repository } from 'typeorm';
import { PageQuery, pageWindow } from '../common/pagination';
import { Run, RunError, RunKind, RunParams, RunPhase, RunStats, RunStatus, RunTrigger } from './entities/run.entity';

const MAX_ERRORS = 200;
const ACTIVE: RunStatus[] = ['queued', 'running'];

const isUniqueViolation = (error: unknown, constraint: string) =>
  error instanceof QueryFailedError &&
  (error as QueryFailedError & { constraint?: string; code?: string }).code === '23505' &&
  ((error as { constraint?: string }).constraint ?? '').includes(constraint);

/** Run history and progress. The database enforces one active run, and one run per schedule tick. */
@Injectable()
export class RunsService {
  constructor(@InjectRepository(Run) private readonly runs: Repository<Run>) {}

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
    const active = await this.active();
    if (active) {
      if (input.scheduleKey) return null;
      throw new ConflictException(`A run is already in progress (${active.id}); try again when it ends`);
    }
    try {
      return await this.runs.save(
        this.runs.create({
          kind: input.kind,
          trigger: input.trigger,
          status: 'queued',
          phase: 'queued',
          params: input.params ?? {},
          scheduleKey: input.scheduleKey ?? null,
          requestedBy: input.requestedBy ?? null,
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'runs_schedule_key')) return null;
      if (isUniqueViolation(error, 'runs_one_active')) {
        if (input.scheduleKey) return null;
        const active = await this.active();
        throw new ConflictException(
          `A run is already in progress (${active?.id ?? 'unknown'}); try again when it ends`,
        );
      }
      throw error;
    }
  }

  get(id: string): Promise<Run | null> {
    return this.runs.findOneBy({ id });
  }

  async getOrFail(id: string): Promise<Run> {
    const run = await this.get(id);
    if (!run) throw new NotFoundException(`Run ${id} not found`);
    return run;
  }

  active(): Promise<Run | null> {
    return this.runs.findOne({ where: { status: In(ACTIVE) }, order: { createdAt: 'DESC' } });
  }

  /** Runs that were queued or running when a process stopped: they are picked up again. */
  unfinished(): Promise<Run[]> {
    return this.runs.find({ where: { status: In(ACTIVE) }, order: { createdAt: 'ASC' } });
  }

  lastFinished(): Promise<Run | null> {
    return this.runs.findOne({ where: { status: In(['succeeded', 'failed']) }, order: { finishedAt: 'DESC' } });
  }

  async start(id: string, phase: RunPhase): Promise<void> {
    await this.runs.update({ id }, {
      status: 'running',
      phase,
      startedAt: () => 'coalesce(started_at, now())',
      heartbeatAt: () => 'now()',
    } as never);
  }

  async progress(
    id: string,
    update: { phase?: RunPhase; done?: number; total?: number | null; stats?: RunStats },
  ): Promise<void> {
    const set: Record<string, unknown> = { heartbeatAt: () => 'now()' };
    if (update.phase) set['phase'] = update.phase;
    if (update.done !== undefined) set['done'] = update.done;
    if (update.total !== undefined) set['total'] = update.total;
    if (update.stats) set['stats'] = () => `stats || :stats::jsonb`;
    await this.runs
      .createQueryBuilder()
      .update(Run)
      .set(set as never)
      .where('id = :id', { id })
      .setParameter('stats', JSON.stringify(update.stats ?? {}))
      .execute();
  }

  /** Appends errors (kept to the last 200) without failing the run. */
  async addErrors(id: string, errors: Omit<RunError, 'at'>[]): Promise<void> {
    if (!errors.length) return;
    const at = new Date().toISOString();
    await this.runs.query(
      `UPDATE runs SET errors = (SELECT coalesce(jsonb_agg(e), '[]'::jsonb) FROM (
         SELECT e FROM jsonb_array_elements(errors || $2::jsonb) AS e OFFSET greatest(jsonb_array_length(errors || $2::jsonb) - ${MAX_ERRORS}, 0)
       ) s) WHERE id = $1`,
      [id, JSON.stringify(errors.map((e) => ({ at, ...e })))],
    );
  }

  async finish(id: string, status: 'succeeded' | 'failed', error?: string): Promise<void> {
    await this.runs.update({ id }, {
      status,
      phase: 'done',
      error: error ?? null,
      finishedAt: () => 'now()',
      heartbeatAt: () => 'now()',
    } as never);
  }

  async list(query: PageQuery): Promise<{ items: Run[]; total: number; page: number; perPage: number }> {
    const { skip, take, page, perPage } = pageWindow(query);
    const [items, total] = await this.runs.findAndCount({ order: { createdAt: 'DESC' }, skip, take });
    return { items, total, page, perPage };
  }
}
