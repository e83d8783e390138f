import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { createTestDatabase, TestDatabase } from '../../testing/test-database';
import { dataSourceOptions } from './data-source';

/**
 * The entities map the schema the migrations create. `synchronize` is off, so nothing else compares them: every
 * column an entity declares must exist in its table with the declared type (length, precision, array),
 * nullability, default, primary key and id generation. What only the schema has (a column no entity reads, a
 * default an entity leaves to the database) is not checked.
 */

interface SchemaColumn {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
  default: string | null;
  primary: boolean;
}

let database: TestDatabase;
let dataSource: DataSource;
let schema: Map<string, SchemaColumn>;

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = new DataSource({
    ...dataSourceOptions(database.url, false),
    entities: [join(__dirname, '..', '**', '*.entity.ts')],
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const rows: SchemaColumn[] = await dataSource.query(`
    SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type",
           NOT a.attnotnull AS "nullable", pg_get_expr(d.adbin, d.adrelid) AS "default",
           EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey))
             AS "primary"
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`);
  schema = new Map(rows.map((row) => [`${row.table}.${row.column}`, row]));
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

/** The type as `format_type` spells it: `character varying(16)`, `numeric(14,8)`, `text[]`. */
function declaredType(column: ColumnMetadata): string {
  const size = column.length
    ? `(${column.length})`
    : column.precision !== undefined && column.precision !== null
      ? `(${column.precision},${column.scale ?? 0})`
      : '';
  return `${dataSource.driver.normalizeType(column)}${size}${column.isArray ? '[]' : ''}`;
}

/** The default as the schema states it, less its cast (`'{}'::jsonb` is `'{}'`); undefined where none is declared. */
function declaredDefault(column: ColumnMetadata): string | undefined {
  if (column.isCreateDate || column.isUpdateDate) return 'now()';
  if (column.generationStrategy === 'uuid') return 'gen_random_uuid()';
  const value: unknown = column.default;
  if (typeof value === 'function') return String(value());
  if (typeof value === 'string') return `'${value}'`;
  return value === undefined ? undefined : String(value);
}

function mismatches(table: string, column: ColumnMetadata): string[] {
  const name = `${table}.${column.databaseName}`;
  const actual = schema.get(name);
  if (!actual) return [`${name}: no such column`];
  const found: string[] = [];
  const expect = (what: string, declared: unknown, inSchema: unknown) => {
    if (declared !== inSchema)
      found.push(`${name}: ${what} ${String(declared)} declared, ${String(inSchema)} in the schema`);
  };
  expect('type', declaredType(column), actual.type);
  expect('nullable', column.isNullable, actual.nullable);
  expect('primary', column.isPrimary, actual.primary);
  const declared = declaredDefault(column);
  const schemaDefault = actual.default?.replace(/::[a-z ]+(\[\])?$/, '') ?? null;
  if (column.generationStrategy === 'increment') expect('sequence', true, /^nextval\(/.test(schemaDefault ?? ''));
  else if (declared !== undefined) expect('default', declared, schemaDefault);
  return found;
}

it('every column an entity declares is in the migrated schema as declared', () => {
  const checked = dataSource.entityMetadatas.flatMap((entity) =>
    entity.columns.map((c) => [entity.tableName, c] as const),
  );
  expect(checked.length).toBeGreaterThan(200);
  expect(checked.flatMap(([table, column]) => mismatches(table, column))).toEqual([]);
});
