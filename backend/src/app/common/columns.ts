import { Column, type ValueTransformer } from 'typeorm';

/**
 * `pg` returns bigint as a string. Zendesk ids fit in a double exactly (< 2^53), so they are numbers in code and
 * in the API.
 */
export const bigintColumn: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? value : Number(value)),
};

/** A row people edit (a settings record): when it last changed and by whom (a user id; null for the system). */
export abstract class EditedRow {
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;
}
