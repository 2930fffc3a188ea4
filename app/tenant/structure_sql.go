package tenant

// The catalog queries of readStructure. Each takes the schema's oid as $1 and
// returns statements (readTables excepted) in the order they must run. The
// transaction's search_path is the schema, so pg_get_expr, pg_get_indexdef,
// pg_get_constraintdef and pg_get_viewdef print its objects unqualified.

// unsupportedSQL names what the other queries would not reproduce. Column
// attoptions (planner n_distinct hints) are left out on purpose: some builds
// set them on every column, and a copy without them behaves the same.
const unsupportedSQL = `
SELECT what FROM (
  SELECT format('%s %I', CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'm' THEN 'materialized view'
         WHEN 'f' THEN 'foreign table' WHEN 'c' THEN 'composite type' ELSE 'relation of kind ' || c.relkind::text END, c.relname) AS what, 1 AS o
    FROM pg_class c WHERE c.relnamespace = $1 AND c.relkind NOT IN ('r', 'S', 'i', 'v')
  UNION ALL SELECT format('privileges granted on %I', c.relname), 2
    FROM pg_class c WHERE c.relnamespace = $1 AND c.relacl IS NOT NULL
  UNION ALL SELECT format('storage options or tablespace of %I', c.relname), 3
    FROM pg_class c WHERE c.relnamespace = $1 AND (c.reloptions IS NOT NULL OR c.reltablespace <> 0)
  UNION ALL SELECT format('row security or replica identity of %I', c.relname), 4
    FROM pg_class c WHERE c.relnamespace = $1
     AND (c.relrowsecurity OR c.relforcerowsecurity OR (c.relkind = 'r' AND c.relreplident <> 'd'))
  UNION ALL SELECT format('inheritance of %I', c.relname), 5
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relnamespace = $1
  UNION ALL SELECT format('function %I', p.proname), 6 FROM pg_proc p WHERE p.pronamespace = $1
  UNION ALL SELECT format('type %I', t.typname), 7
    FROM pg_type t WHERE t.typnamespace = $1 AND t.typtype <> 'c' AND NOT (t.typcategory = 'A' AND t.typelem <> 0)
  UNION ALL SELECT format('rule %I', r.rulename), 8
    FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class WHERE c.relnamespace = $1 AND r.rulename <> '_RETURN'
  UNION ALL SELECT format('statistics object %I', s.stxname), 9 FROM pg_statistic_ext s WHERE s.stxnamespace = $1
  UNION ALL SELECT format('column options of %I.%I', c.relname, a.attname), 10
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
    WHERE c.relnamespace = $1 AND c.relkind IN ('r', 'v') AND a.attnum > 0 AND NOT a.attisdropped
      AND (a.attstorage <> t.typstorage OR a.attcompression <> ''
           OR COALESCE(a.attstattarget, -1) <> -1)
  UNION ALL SELECT format('comment on constraint %I', co.conname), 11
    FROM pg_description d JOIN pg_constraint co ON d.classoid = 'pg_constraint'::regclass AND d.objoid = co.oid
    WHERE co.connamespace = $1
  UNION ALL SELECT format('comment on trigger %I', tg.tgname), 12
    FROM pg_description d JOIN pg_trigger tg ON d.classoid = 'pg_trigger'::regclass AND d.objoid = tg.oid
    JOIN pg_class c ON c.oid = tg.tgrelid WHERE c.relnamespace = $1
  UNION ALL SELECT format('disabled trigger %I', tg.tgname), 13
    FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
    WHERE c.relnamespace = $1 AND NOT tg.tgisinternal AND tg.tgenabled <> 'O'
  UNION ALL SELECT format('clustered or invalid index %I', ic.relname), 14
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE ic.relnamespace = $1 AND (i.indisclustered OR NOT i.indisvalid)
  UNION ALL SELECT format('unlogged sequence %I', c.relname), 15
    FROM pg_class c WHERE c.relnamespace = $1 AND c.relkind = 'S' AND c.relpersistence = 'u'
) x ORDER BY o, what`

// sequencesSQL makes the schema's sequences except those of identity
// columns, which their column's definition makes.
const sequencesSQL = `
SELECT format('CREATE SEQUENCE %I AS %s INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s%s',
       c.relname, format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache,
       CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END)
FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
WHERE c.relnamespace = $1
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i')
ORDER BY c.oid`

// columnsSQL returns, per table and column in order: the table's oid, the
// head of its CREATE TABLE, and the column's definition (empty for a table
// without columns).
const columnsSQL = `
SELECT c.oid,
       format('CREATE %sTABLE %I', CASE c.relpersistence WHEN 'u' THEN 'UNLOGGED ' ELSE '' END, c.relname),
       COALESCE(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod))
         || CASE WHEN a.attcollation <> t.typcollation THEN format(' COLLATE %I.%I', cn.nspname, co.collname) ELSE '' END
         || CASE
              WHEN a.attgenerated = 's' THEN format(' GENERATED ALWAYS AS (%s) STORED', pg_get_expr(d.adbin, d.adrelid))
              WHEN a.attidentity IN ('a', 'd') THEN format(
                   ' GENERATED %s AS IDENTITY (SEQUENCE NAME %I START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE %s CACHE %s%s)',
                   CASE a.attidentity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END, isc.relname, iseq.seqstart,
                   iseq.seqincrement, iseq.seqmin, iseq.seqmax, iseq.seqcache, CASE WHEN iseq.seqcycle THEN ' CYCLE' ELSE '' END)
              WHEN d.adbin IS NOT NULL THEN ' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid)
              ELSE '' END
         || CASE WHEN a.attnotnull AND a.attidentity = '' THEN ' NOT NULL' ELSE '' END, '')
FROM pg_class c
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_depend idp ON a.attidentity IN ('a', 'd') AND idp.classid = 'pg_class'::regclass
     AND idp.refobjid = c.oid AND idp.refobjsubid = a.attnum AND idp.deptype = 'i'
LEFT JOIN pg_class isc ON isc.oid = idp.objid
LEFT JOIN pg_sequence iseq ON iseq.seqrelid = idp.objid
WHERE c.relnamespace = $1 AND c.relkind = 'r'
ORDER BY c.oid, a.attnum`

// sequenceOwnersSQL ties serial columns' sequences to their columns.
const sequenceOwnersSQL = `
SELECT format('ALTER SEQUENCE %I OWNED BY %I.%I', s.relname, t.relname, a.attname)
FROM pg_class s
JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
     AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'
JOIN pg_class t ON t.oid = d.refobjid
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
WHERE s.relnamespace = $1 AND s.relkind = 'S'
ORDER BY s.oid`

// constraintsSQL adds keys, checks and exclusions, then foreign keys, so
// every key a foreign key needs exists before it.
const constraintsSQL = `
SELECT format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.relname, co.conname, pg_get_constraintdef(co.oid))
FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid
WHERE c.relnamespace = $1 AND c.relkind = 'r' AND co.contype IN ('p', 'u', 'c', 'x', 'f') AND co.conislocal
ORDER BY co.contype = 'f', co.oid`

// indexesSQL makes the indexes that no constraint made. pg_get_indexdef
// always qualifies the table's name, whatever the search_path; the
// qualification is taken off.
const indexesSQL = `
SELECT replace(pg_get_indexdef(i.indexrelid), format(' ON %I.%I ', n.nspname, c.relname), format(' ON %I ', c.relname))
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relnamespace = $1 AND c.relkind = 'r'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint co
                  WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x'))
ORDER BY i.indexrelid`

// viewsSQL makes views in creation order, which is an order their
// dependencies allow unless one was replaced after a view that uses it.
const viewsSQL = `
SELECT format('CREATE VIEW %I AS %s', c.relname, rtrim(pg_get_viewdef(c.oid), ';'))
FROM pg_class c WHERE c.relnamespace = $1 AND c.relkind = 'v'
ORDER BY c.oid`

const triggersSQL = `
SELECT pg_get_triggerdef(t.oid)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = $1 AND NOT t.tgisinternal
ORDER BY t.oid`

const commentsSQL = `
SELECT CASE WHEN d.objsubid = 0
            THEN format('COMMENT ON %s %I IS %L', CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'S' THEN 'SEQUENCE'
                        WHEN 'i' THEN 'INDEX' ELSE 'VIEW' END, c.relname, d.description)
            ELSE format('COMMENT ON COLUMN %I.%I IS %L', c.relname, a.attname, d.description) END
FROM pg_description d JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
WHERE c.relnamespace = $1
ORDER BY c.oid, d.objsubid`

// tableColumnsSQL lists each table with the columns a copy of its rows
// writes: all but generated ones, in order.
const tableColumnsSQL = `
SELECT c.relname, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
WHERE c.relnamespace = $1 AND c.relkind = 'r'
GROUP BY c.oid, c.relname
ORDER BY c.oid`

// sequenceNamesSQL lists every sequence, identity ones included.
const sequenceNamesSQL = `SELECT relname FROM pg_class WHERE relnamespace = $1 AND relkind = 'S' ORDER BY oid`
