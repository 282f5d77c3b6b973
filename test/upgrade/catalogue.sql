-- Describes every object of the extension smup, one line each, in a stable order: what an upgraded
-- database and a fresh install must agree on (h3-pg's upgrade check does the same with pg_dump).
-- Functions and aggregates: definition, volatility, strictness, parallel label, security,
-- settings, owner-independent grants; tables and views: columns, defaults, constraints, indexes,
-- triggers, definitions, grants; types; comments on all of them and on columns; extconfig.
-- No OIDs appear: they differ between any two databases.
\pset format unaligned
\pset tuples_only on
WITH member AS (
    SELECT d.classid, d.objid, pg_describe_object(d.classid, d.objid, 0) AS identity
      FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'smup'
     WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
),
line AS (
    SELECT m.identity, 'member' AS aspect, '' AS detail FROM member m
    UNION ALL  -- functions and procedures: their whole definition (settings, labels, body)
    SELECT m.identity, 'definition', pg_get_functiondef(p.oid)
      FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid AND p.prokind <> 'a'
    UNION ALL
    SELECT m.identity, 'aggregate', concat_ws(' ', a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn,
                                                a.aggdeserialfn, a.aggtranstype::regtype, a.aggfinalmodify,
                                                a.agginitval, p.proparallel, p.provolatile, p.proisstrict)
      FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid AND p.prokind = 'a'
      JOIN pg_aggregate a ON a.aggfnoid = p.oid
    UNION ALL
    SELECT m.identity, 'acl', coalesce(p.proacl::text, 'default')
      FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
    UNION ALL  -- relations: kind, persistence, options, grants
    SELECT m.identity, 'relation', concat_ws(' ', c.relkind, c.relpersistence, c.reloptions::text, coalesce(c.relacl::text, 'default'))
      FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
    UNION ALL
    SELECT m.identity, 'column ' || lpad(a.attnum::text, 3, '0'),
           concat_ws(' ', a.attname, format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN 'not null' END,
                     a.attidentity, a.attgenerated, pg_get_expr(ad.adbin, ad.adrelid), coll.collname,
                     a.attacl::text, col_description(c.oid, a.attnum))
      FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
      LEFT JOIN pg_collation coll ON coll.oid = a.attcollation AND a.attcollation <> 0
    UNION ALL
    SELECT m.identity, 'constraint ' || co.conname, pg_get_constraintdef(co.oid)
      FROM member m JOIN pg_constraint co ON m.classid = 'pg_class'::regclass AND co.conrelid = m.objid
    UNION ALL
    SELECT m.identity, 'index ' || i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
      FROM member m JOIN pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid
    UNION ALL
    SELECT m.identity, 'trigger ' || t.tgname, pg_get_triggerdef(t.oid)
      FROM member m JOIN pg_trigger t ON m.classid = 'pg_class'::regclass AND t.tgrelid = m.objid AND NOT t.tgisinternal
    UNION ALL
    SELECT m.identity, 'view', pg_get_viewdef(c.oid)
      FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid AND c.relkind IN ('v', 'm')
    UNION ALL
    SELECT m.identity, 'type', concat_ws(' ', t.typtype, t.typlen, t.typalign, t.typstorage, t.typinput, t.typoutput,
                                         t.typreceive, t.typsend, t.typcategory, coalesce(t.typacl::text, 'default'),
                                         (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
                                         (SELECT string_agg(pg_get_constraintdef(co.oid), ' ') FROM pg_constraint co WHERE co.contypid = t.oid))
      FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
    UNION ALL
    SELECT m.identity, 'comment', coalesce(obj_description(m.objid, m.classid::regclass::text), '(none)') FROM member m
    UNION ALL  -- the schema itself (created by CREATE EXTENSION, not a member)
    SELECT 'schema smup', 'acl and comment', concat_ws(' ', n.nspacl::text, obj_description(n.oid, 'pg_namespace'))
      FROM pg_namespace n WHERE n.nspname = 'smup'
    UNION ALL  -- what pg_dump copies of the extension's tables
    SELECT 'extconfig', c.oid::regclass::text, coalesce(e.extcondition[i], '')
      FROM pg_extension e CROSS JOIN LATERAL generate_subscripts(e.extconfig, 1) i
      JOIN pg_class c ON c.oid = e.extconfig[i]
     WHERE e.extname = 'smup'
)
SELECT identity || ' | ' || aspect || ' | ' || detail FROM line ORDER BY identity, aspect, detail;
