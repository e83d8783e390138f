import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Daily aggregates of visible issues (issue 15), so the summary and the trends read a few hundred rows instead of
 * scanning `issues`:
 *
 * - `issue_day_counts` (dim, day, key, n): visible issues per UTC day by category (`c`), severity (`s`) and issue
 *   type (`t`); and, for the distinct counts, the number of tickets (`T`) and of customers (`U`) whose LATEST
 *   visible issue falls on that day. "Tickets/customers with a visible issue since D" = those whose latest one is
 *   on or after D: a sum over days, exact, as cheap for 90 days as for 7.
 * - `issue_day_deltas`: the same rows, appended by the triggers (never updated, so concurrent writers never wait
 *   on each other or deadlock on a hot day); readers add them to the counts; `issue_day_counts_fold()` moves them
 *   into `issue_day_counts` (one folder at a time, the others skip).
 * - `issue_entity_days` (kind, entity, day, n): visible issues per ticket (`T`, with the customer its issues were
 *   counted under) and per customer (`U`: organization id, else minus the requester id) and day; and
 *   `issue_entity_last`: each entity's latest day. Written with row locks per ticket/customer only when a day
 *   appears or empties.
 *
 * Maintained by triggers on `issues` (statement-level with transition tables for INSERT and DELETE, so a bulk write
 * costs a few set-based statements; for UPDATE, a row trigger with a WHEN clause stages only the rows whose
 * visibility or a counted column changes, so the clustering's many cluster_id updates cost nothing, and a
 * statement trigger applies them set-based) and on `tickets` (a ticket moving to
 * another organization or requester). Always consistent with `issues`, whichever module writes them, cascades
 * included. Backfilled from the existing rows.
 */
export class IssueAggregates1764400000025 implements MigrationInterface {
  name = 'IssueAggregates1764400000025';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE issue_day_counts (
        ${DAY_COUNT_COLUMNS},
        PRIMARY KEY (dim, day, key)
      )`);
    await q.query(`
      CREATE TABLE issue_day_deltas (
        ${DAY_COUNT_COLUMNS}
      )`);
    await q.query(`
      CREATE TABLE issue_entity_days (
        kind "char" NOT NULL,
        entity bigint NOT NULL,
        day date NOT NULL,
        n integer NOT NULL,
        customer bigint,
        PRIMARY KEY (kind, entity, day)
      )`);
    await q.query(`
      CREATE TABLE issue_entity_last (
        kind "char" NOT NULL,
        entity bigint NOT NULL,
        day date,
        PRIMARY KEY (kind, entity)
      )`);

    // An UPDATE's changed issues, staged by a row trigger and applied at the statement's end (rows live only
    // inside their transaction: unlogged).
    await q.query(`
      CREATE UNLOGGED TABLE issue_aggregate_changes (
        xid xid8 NOT NULL,
        day date NOT NULL,
        category varchar(64) NOT NULL,
        severity varchar(16) NOT NULL,
        issue_type varchar(32) NOT NULL,
        ticket_id bigint NOT NULL,
        n integer NOT NULL
      )`);
    await q.query(`CREATE INDEX issue_aggregate_changes_xid_idx ON issue_aggregate_changes (xid)`);
    await q.query(ENTITIES_APPLY);
    await q.query(AGGREGATES_APPLY);
    await q.query(FOLD);
    await q.query(ON_INSERT);
    await q.query(ON_DELETE);
    await q.query(ON_UPDATE_ROW);
    await q.query(ON_UPDATE);
    await q.query(ON_TRUNCATE);
    await q.query(ON_TICKET_CUSTOMER);
    await q.query(`CREATE TRIGGER issues_aggregates_insert AFTER INSERT ON issues
                     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION issue_aggregates_on_insert()`);
    await q.query(`CREATE TRIGGER issues_aggregates_delete AFTER DELETE ON issues
                     REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION issue_aggregates_on_delete()`);
    await q.query(`CREATE TRIGGER issues_aggregates_update AFTER UPDATE ON issues
                     FOR EACH STATEMENT EXECUTE FUNCTION issue_aggregates_on_update()`);
    await q.query(`CREATE TRIGGER issues_aggregates_update_row AFTER UPDATE ON issues FOR EACH ROW
                     WHEN ((OLD.hidden, OLD.category, OLD.severity, OLD.issue_type, OLD.ticket_id, OLD.ticket_created_at)
                           IS DISTINCT FROM
                           (NEW.hidden, NEW.category, NEW.severity, NEW.issue_type, NEW.ticket_id, NEW.ticket_created_at))
                     EXECUTE FUNCTION issue_aggregates_on_update_row()`);
    await q.query(`CREATE TRIGGER issues_aggregates_truncate AFTER TRUNCATE ON issues
                     FOR EACH STATEMENT EXECUTE FUNCTION issue_aggregates_on_truncate()`);
    await q.query(`CREATE TRIGGER tickets_aggregates_customer AFTER UPDATE OF organization_id, requester_id ON tickets
                     FOR EACH ROW WHEN (OLD.organization_id IS DISTINCT FROM NEW.organization_id
                                        OR OLD.requester_id IS DISTINCT FROM NEW.requester_id)
                     EXECUTE FUNCTION issue_aggregates_on_ticket_customer()`);

    await this.backfill(q);
  }

  private async backfill(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO issue_day_counts (dim, day, key, n)
      SELECT g.dim, g.day, g.key, count(*)::int
        FROM (SELECT (i.ticket_created_at AT TIME ZONE 'UTC')::date AS day, i.category, i.severity, i.issue_type
                FROM issues i WHERE NOT i.hidden) r
       CROSS JOIN LATERAL (VALUES ('c'::"char", r.day, r.category), ('s', r.day, r.severity), ('t', r.day, r.issue_type))
             AS g(dim, day, key)
       GROUP BY 1, 2, 3`);
    await q.query(`
      INSERT INTO issue_entity_days (kind, entity, day, n, customer)
      SELECT 'T', i.ticket_id, (i.ticket_created_at AT TIME ZONE 'UTC')::date, count(*)::int,
             min(coalesce(t.organization_id, -t.requester_id))
        FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id
       WHERE NOT i.hidden GROUP BY 2, 3`);
    await q.query(`
      INSERT INTO issue_entity_days (kind, entity, day, n)
      SELECT 'U', d.customer, d.day, sum(d.n)::int FROM issue_entity_days d
       WHERE d.kind = 'T' AND d.customer IS NOT NULL GROUP BY 2, 3`);
    await q.query(`
      INSERT INTO issue_entity_last (kind, entity, day)
      SELECT kind, entity, max(day) FROM issue_entity_days GROUP BY 1, 2`);
    await q.query(`
      INSERT INTO issue_day_counts (dim, day, key, n)
      SELECT kind, day, '', count(*)::int FROM issue_entity_last GROUP BY 1, 2`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tickets_aggregates_customer ON tickets`);
    for (const t of ['truncate', 'update_row', 'update', 'delete', 'insert'])
      await q.query(`DROP TRIGGER issues_aggregates_${t} ON issues`);
    for (const f of [
      'issue_aggregates_on_ticket_customer()',
      'issue_aggregates_on_truncate()',
      'issue_aggregates_on_update()',
      'issue_aggregates_on_update_row()',
      'issue_aggregates_on_delete()',
      'issue_aggregates_on_insert()',
      'issue_day_counts_fold()',
      'issue_aggregates_apply(date[], text[], text[], text[], bigint[], bigint[], integer[])',
      'issue_entities_apply("char", bigint[], date[], integer[], bigint[])',
    ])
      await q.query(`DROP FUNCTION ${f}`);
    for (const t of [
      'issue_aggregate_changes',
      'issue_entity_last',
      'issue_entity_days',
      'issue_day_deltas',
      'issue_day_counts',
    ])
      await q.query(`DROP TABLE ${t}`);
  }
}

/** The columns of `issue_day_counts` and of its appended `issue_day_deltas` (the same rows). */
const DAY_COUNT_COLUMNS = `dim "char" NOT NULL,
        day date NOT NULL,
        key varchar(64) NOT NULL DEFAULT '',
        n integer NOT NULL`;

/**
 * Adds `ns` visible issues (negative: removes) to the entities of `kind` on `days`; `customers`: for tickets, the
 * customer they are counted under. Where an entity's set of days changes, its latest day is read again (after
 * locking its `issue_entity_last` row, in a fresh snapshot, so concurrent writers of one customer serialise there)
 * and the day histogram (`dim` = kind) moves.
 */
const ENTITIES_APPLY = `
CREATE FUNCTION issue_entities_apply(k "char", entities bigint[], days date[], ns integer[], customers bigint[])
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  changed bigint[];
  ents bigint[];
  olds date[];
BEGIN
  WITH delta AS (
    SELECT x.entity, x.day, sum(x.n)::int AS n, max(x.customer) FILTER (WHERE x.n > 0) AS customer
      FROM unnest(entities, days, ns, customers) AS x(entity, day, n, customer)
     WHERE x.entity IS NOT NULL GROUP BY 1, 2 HAVING sum(x.n) <> 0),
  up AS (
    INSERT INTO issue_entity_days AS d (kind, entity, day, n, customer)
    SELECT k, delta.entity, delta.day, delta.n, delta.customer FROM delta ORDER BY 2, 3
    ON CONFLICT (kind, entity, day) DO UPDATE SET n = d.n + excluded.n, customer = coalesce(excluded.customer, d.customer)
    RETURNING d.entity, d.day, d.n)
  SELECT array_agg(DISTINCT up.entity) INTO changed
    FROM up JOIN delta ON delta.entity = up.entity AND delta.day = up.day
   WHERE (up.n > 0) <> (up.n - delta.n > 0);
  IF changed IS NULL THEN RETURN; END IF;
  DELETE FROM issue_entity_days WHERE kind = k AND entity = ANY(changed) AND n <= 0;
  WITH locked AS (
    INSERT INTO issue_entity_last AS l (kind, entity, day)
    SELECT k, e, NULL FROM unnest(changed) AS e ORDER BY 2
    ON CONFLICT (kind, entity) DO UPDATE SET day = l.day
    RETURNING l.entity, l.day)
  SELECT array_agg(entity), array_agg(day) INTO ents, olds FROM locked;
  WITH x AS (
    SELECT o.entity, o.day AS old,
           (SELECT max(d.day) FROM issue_entity_days d WHERE d.kind = k AND d.entity = o.entity) AS new
      FROM unnest(ents, olds) AS o(entity, day)),
  moved AS (SELECT * FROM x WHERE old IS DISTINCT FROM new),
  hist AS (
    INSERT INTO issue_day_deltas (dim, day, key, n)
    SELECT k, h.day, '', sum(h.n)::int
      FROM (SELECT old, -1 FROM moved WHERE old IS NOT NULL UNION ALL SELECT new, 1 FROM moved WHERE new IS NOT NULL)
           AS h(day, n)
     GROUP BY 2 HAVING sum(h.n) <> 0),
  gone AS (DELETE FROM issue_entity_last l USING x WHERE l.kind = k AND l.entity = x.entity AND x.new IS NULL)
  UPDATE issue_entity_last l SET day = x.new FROM x
   WHERE l.kind = k AND l.entity = x.entity AND x.new IS NOT NULL AND l.day IS DISTINCT FROM x.new;
END $fn$`;

/** Adds visible issues (`ns` each, negative: removes) to every aggregate. */
const AGGREGATES_APPLY = `
CREATE FUNCTION issue_aggregates_apply(days date[], cats text[], sevs text[], types text[], tickets bigint[],
                                       customers bigint[], ns integer[])
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO issue_day_deltas (dim, day, key, n)
  SELECT g.dim, g.day, g.key, sum(g.n)::int
    FROM unnest(days, cats, sevs, types, ns) AS r(day, cat, sev, typ, n)
   CROSS JOIN LATERAL (VALUES ('c'::"char", r.day, r.cat, r.n), ('s', r.day, r.sev, r.n), ('t', r.day, r.typ, r.n))
         AS g(dim, day, key, n)
   GROUP BY 1, 2, 3 HAVING sum(g.n) <> 0;
  -- Customers first: a removal's customer is read from the ticket's rows, which the ticket step may delete.
  PERFORM issue_entities_apply('U', customers, days, ns, NULL);
  PERFORM issue_entities_apply('T', tickets, days, ns, customers);
END $fn$`;

/** A trigger function (AFTER triggers: it returns NULL); `body` runs from its DECLARE or BEGIN. */
const triggerFunction = (name: string, body: string) => `
CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
${body}
  RETURN NULL;
END $fn$`;

/** The visible rows of a transition table as `issue_aggregates_apply` arguments (`sign`: +1 or -1). */
const applyRows = (table: string, sign: number, customer: string) => `
  PERFORM issue_aggregates_apply(array_agg(day), array_agg(category), array_agg(severity), array_agg(issue_type),
                                 array_agg(ticket_id), array_agg(customer), array_agg(n))
     FROM (SELECT (r.ticket_created_at AT TIME ZONE 'UTC')::date AS day, r.category::text, r.severity::text,
                  r.issue_type::text, r.ticket_id, ${customer} AS customer, ${sign} * count(*)::int AS n
             FROM ${table} r WHERE NOT r.hidden GROUP BY 1, 2, 3, 4, 5) g;`;

/** The customer a ticket's issues count for now: its organization, else its requester (negated). */
const CURRENT_CUSTOMER = `(SELECT coalesce(t.organization_id, -t.requester_id) FROM tickets t WHERE t.zendesk_id = r.ticket_id)`;
/** The customer a ticket's visible issues were counted under (its row may be gone: a cascaded delete). */
const COUNTED_CUSTOMER = `(SELECT d.customer FROM issue_entity_days d WHERE d.kind = 'T' AND d.entity = r.ticket_id LIMIT 1)`;

const ON_INSERT = triggerFunction('issue_aggregates_on_insert', `BEGIN ${applyRows('new_rows', 1, CURRENT_CUSTOMER)}`);

const ON_DELETE = triggerFunction('issue_aggregates_on_delete', `BEGIN ${applyRows('old_rows', -1, COUNTED_CUSTOMER)}`);

/** A visibility or counted-column change of one issue, staged for the statement's end (cheap per row). */
const ON_UPDATE_ROW = triggerFunction(
  'issue_aggregates_on_update_row',
  `BEGIN
  INSERT INTO issue_aggregate_changes (xid, day, category, severity, issue_type, ticket_id, n)
  SELECT pg_current_xact_id(), (OLD.ticket_created_at AT TIME ZONE 'UTC')::date, OLD.category, OLD.severity,
         OLD.issue_type, OLD.ticket_id, -1 WHERE NOT OLD.hidden
  UNION ALL
  SELECT pg_current_xact_id(), (NEW.ticket_created_at AT TIME ZONE 'UTC')::date, NEW.category, NEW.severity,
         NEW.issue_type, NEW.ticket_id, 1 WHERE NOT NEW.hidden;`,
);

/** At an UPDATE's end: this transaction's staged changes, applied in one call (removals under the counted customer). */
const ON_UPDATE = triggerFunction(
  'issue_aggregates_on_update',
  `DECLARE
  done integer;
BEGIN
  -- An UPDATE that changed nothing has no transaction id yet: nothing staged, none assigned.
  IF NOT EXISTS (SELECT 1 FROM issue_aggregate_changes WHERE xid = pg_current_xact_id_if_assigned()) THEN
    RETURN NULL;
  END IF;
  WITH staged AS (DELETE FROM issue_aggregate_changes WHERE xid = pg_current_xact_id() RETURNING *),
  g AS (
    SELECT r.day, r.category::text, r.severity::text, r.issue_type::text, r.ticket_id,
           CASE WHEN sum(r.n) < 0 THEN ${COUNTED_CUSTOMER} ELSE ${CURRENT_CUSTOMER} END AS customer,
           sum(r.n)::int AS n
      FROM staged r GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.n) <> 0)
  SELECT 1 INTO done FROM (
    SELECT issue_aggregates_apply(array_agg(day), array_agg(category), array_agg(severity), array_agg(issue_type),
                                  array_agg(ticket_id), array_agg(customer), array_agg(n)) FROM g) x;`,
);

const ON_TRUNCATE = triggerFunction(
  'issue_aggregates_on_truncate',
  `BEGIN
  -- DELETE, not TRUNCATE: no exclusive lock on tables readers hold while they wait for issues.
  DELETE FROM issue_day_counts;
  DELETE FROM issue_day_deltas;
  DELETE FROM issue_entity_days;
  DELETE FROM issue_entity_last;`,
);

/** A ticket now belongs to another customer: its visible issues move from the customer they were counted under. */
const ON_TICKET_CUSTOMER = triggerFunction(
  'issue_aggregates_on_ticket_customer',
  `DECLARE
  cur bigint := coalesce(NEW.organization_id, -NEW.requester_id);
BEGIN
  PERFORM issue_entities_apply('U', array_agg(x.customer), array_agg(x.day), array_agg(x.n), NULL)
     FROM (SELECT d.customer, d.day, -d.n FROM issue_entity_days d
            WHERE d.kind = 'T' AND d.entity = NEW.zendesk_id AND d.customer IS DISTINCT FROM cur
           UNION ALL
           SELECT cur, d.day, d.n FROM issue_entity_days d
            WHERE d.kind = 'T' AND d.entity = NEW.zendesk_id AND d.customer IS DISTINCT FROM cur)
          AS x(customer, day, n);
  UPDATE issue_entity_days SET customer = cur WHERE kind = 'T' AND entity = NEW.zendesk_id;`,
);

/**
 * Moves the appended deltas into `issue_day_counts`. One folder at a time (the others return at once: the deltas
 * are still counted by readers); deltas of transactions not yet committed stay for the next fold.
 */
const FOLD = `
CREATE FUNCTION issue_day_counts_fold() RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  moved integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM issue_day_deltas) THEN RETURN 0; END IF;
  IF NOT pg_try_advisory_xact_lock(hashtext('issue_day_counts_fold')) THEN RETURN 0; END IF;
  WITH d AS (DELETE FROM issue_day_deltas RETURNING dim, day, key, n),
  s AS (SELECT dim, day, key, sum(n)::int AS n, count(*) AS rows FROM d GROUP BY 1, 2, 3),
  up AS (
    INSERT INTO issue_day_counts AS c (dim, day, key, n)
    SELECT dim, day, key, n FROM s WHERE n <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (dim, day, key) DO UPDATE SET n = c.n + excluded.n)
  SELECT coalesce(sum(rows), 0)::int INTO moved FROM s;
  DELETE FROM issue_day_counts WHERE n = 0;
  RETURN moved;
END $fn$`;
