import {
  Column,
  type ColumnOptions,
  CreateDateColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type ValueTransformer,
} from 'typeorm';

/*
 * The column conventions every entity follows, declared once. The schema itself comes from the migrations
 * (`synchronize` is off): these only map what they created, and `entity-schema.e2e.spec.ts` checks that they do.
 */

/** Options a shared column may take besides its name and type. */
type Extra = Omit<ColumnOptions, 'name' | 'type'>;

/**
 * `pg` returns bigint as a string. Zendesk ids fit in a double exactly (< 2^53), so they are numbers in code and
 * in the API.
 */
export const bigintColumn: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? value : Number(value)),
};

/** `pg` returns numeric (and bigint) as a string: a number in code; null (or absent) is null. */
export const numberColumn: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null || value === undefined ? null : Number(value)),
};

/** A point in time: always `timestamptz`. */
export const TimestampColumn = (name: string, extra: Extra = {}) => Column({ name, type: 'timestamptz', ...extra });

/** A Zendesk id (or an id mapped into the same space): `bigint`, a number in code (see `bigintColumn`). */
export const ZendeskIdColumn = (name: string, extra: Extra = {}) =>
  Column({ name, type: 'bigint', transformer: bigintColumn, ...extra });

/** An exact decimal, null when unknown (a price, a percentage). */
export const DecimalColumn = (name: string, precision: number, scale: number) =>
  Column({ name, type: 'numeric', precision, scale, nullable: true, transformer: numberColumn });

/** When the row was inserted (set by the database). */
export const CreatedAtColumn = (name = 'created_at') => CreateDateColumn({ name, type: 'timestamptz' });

/** When the row was last saved through its entity. */
export const UpdatedAtColumn = () => UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' });

/** A row identified by a generated uuid, with its creation time. */
export abstract class UuidRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}

/** A uuid row that is changed in place: also when it was last saved. */
export abstract class EditableUuidRow extends UuidRow {
  @UpdatedAtColumn()
  updatedAt!: Date;
}

/** A row numbered by a bigint sequence (log and ledger rows, deliveries), with its creation time. */
export abstract class SerialRow {
  /** A string: `pg` returns bigint as one. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}

/** A row people edit (a settings record): when it last changed and by whom (a user id; null for the system). */
export abstract class EditedRow {
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;
}
