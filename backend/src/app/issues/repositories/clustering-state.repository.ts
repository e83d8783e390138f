import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { TextModelState } from '@pim/text-mining';

/** The `clustering_state` row: the engine's TextModel and the version every clustering writer bumps. */
export interface ClusteringStateRow {
  model: TextModelState | null;
  version: number;
}

/** The one `clustering_state` row (id 1). */
@Injectable()
export class ClusteringStateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async read(m: EntityManager = this.dataSource.manager): Promise<ClusteringStateRow> {
    const [row]: Array<{ model: TextModelState | null; version: number | string }> = await m.query(
      `SELECT model, version FROM clustering_state WHERE id = 1`,
    );
    return { model: row?.model ?? null, version: Number(row?.version ?? 0) };
  }

  async version(m: EntityManager = this.dataSource.manager): Promise<number> {
    const [row]: Array<{ version: number | string }> = await m.query(
      `SELECT version FROM clustering_state WHERE id = 1`,
    );
    return Number(row?.version ?? 0);
  }

  /** Locks the row for the transaction and returns its version. */
  async lockVersion(m: EntityManager): Promise<number> {
    const [row]: Array<{ version: number | string }> = await m.query(
      `SELECT version FROM clustering_state WHERE id = 1 FOR UPDATE`,
    );
    return Number(row?.version ?? 0);
  }

  /** Bumps the version, saving the model when given. */
  async bump(m: EntityManager, model?: TextModelState): Promise<void> {
    if (model)
      await m.query(
        `UPDATE clustering_state SET model = $1::jsonb, version = version + 1, updated_at = now() WHERE id = 1`,
        [JSON.stringify(model)],
      );
    else await m.query(`UPDATE clustering_state SET version = version + 1, updated_at = now() WHERE id = 1`);
  }
}
