-- Supabase's Security and Performance Advisors (the supabase/splinter lints) find nothing at WARN
-- or ERROR in this schema. Each assertion states one lint's rule in its own query, over the
-- schemas the lints look at (the project's, not the platform's or extensions'), so a migration
-- that would make the advisor report something fails here first. Named after the lints.
begin;
\ir _helpers.psql
select plan(12);

-- The schemas a project owns: everything but the platform's and the catalogs.
create function tests.project_schemas() returns setof name
language sql stable
set search_path = ''
as $$
  select n.nspname from pg_catalog.pg_namespace n
  where n.nspname not in ('auth', 'cron', 'extensions', 'graphql', 'graphql_public',
      'information_schema', 'net', 'pgbouncer', 'pg_catalog', 'pg_toast', 'realtime', 'storage',
      'supabase_functions', 'supabase_migrations', 'vault', 'tests')
    and n.nspname not like 'pg\_temp\_%' and n.nspname not like 'pg\_toast\_temp\_%'
$$;

-- 0011 function_search_path_mutable (WARN): every function and procedure that is not an
-- extension's pins its search_path. The one exception is deliberate: the batching procedure
-- commits between batches, which PostgreSQL forbids in a procedure with any SET clause, so it
-- pins the search path in its body instead (005-batched-purge checks that it does).
select set_eq(
  $$select n.nspname || '.' || p.proname
    from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname in (select tests.project_schemas())
      and not exists (select 1 from pg_catalog.pg_depend d
        where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
      and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c
        where c like 'search_path=%')$$,
  array['public.purge_stale_chat_sessions_in_batches'],
  'function_search_path_mutable: every function pins its search_path (the batching procedure in '
  'its body)');

-- 0001 unindexed_foreign_keys (INFO, and the issue's Performance Advisor finding)
select is_empty(
  $$select c.conrelid::regclass, c.conname
    from pg_catalog.pg_constraint c join pg_catalog.pg_class t on t.oid = c.conrelid
    where c.contype = 'f' and t.relnamespace::regnamespace::name in (select tests.project_schemas())
      and not exists (
        select 1 from pg_catalog.pg_index i
        where i.indrelid = c.conrelid
          and (string_to_array(i.indkey::text, ' ')::smallint[])[1:cardinality(c.conkey)]
            = c.conkey)$$,
  'unindexed_foreign_keys: every foreign key has an index that starts with its columns');

-- 0013 rls_disabled_in_public (ERROR) and 0007 policy_exists_rls_disabled (ERROR)
select is_empty(
  $$select c.oid::regclass from pg_catalog.pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
      and not c.relrowsecurity$$,
  'rls_disabled_in_public: every table in public has row level security enabled');
select is_empty(
  $$select distinct p.polrelid::regclass from pg_catalog.pg_policy p
    join pg_catalog.pg_class c on c.oid = p.polrelid
    where not c.relrowsecurity$$,
  'policy_exists_rls_disabled: no table has policies with row level security off');

-- 0010 security_definer_view (ERROR) and 0002 auth_users_exposed (ERROR)
select is_empty(
  $$select c.oid::regclass from pg_catalog.pg_class c
    where c.relkind in ('v', 'm') and c.relnamespace::regnamespace::name in (select tests.project_schemas())
      and not coalesce(c.reloptions::text[] && array['security_invoker=true', 'security_invoker=on'],
        false)$$,
  'security_definer_view: no view runs as its owner');
select is_empty(
  $$select distinct d.refobjid::regclass from pg_catalog.pg_depend d
    join pg_catalog.pg_rewrite r on r.oid = d.objid
    join pg_catalog.pg_class v on v.oid = r.ev_class
    where d.refobjid = 'auth.users'::regclass and v.relnamespace = 'public'::regnamespace$$,
  'auth_users_exposed: no view in public reads auth.users');

-- 0006 multiple_permissive_policies (WARN) and 0003 auth_rls_initplan (WARN)
select is_empty(
  $$select p.polrelid::regclass, r.role, p.polcmd, count(*)
    from pg_catalog.pg_policy p, unnest(p.polroles) r(role)
    where p.polpermissive
    group by 1, 2, 3 having count(*) > 1$$,
  'multiple_permissive_policies: one permissive policy per table, role and command at most');
select is_empty(
  $$select schemaname, tablename, policyname from pg_catalog.pg_policies
    where schemaname in (select tests.project_schemas())
      and exists (select 1 from unnest(array[qual, with_check]) e(expr)
        where e.expr ~ '(auth\.(uid|jwt|role|email)|current_setting)\('
          and lower(e.expr) !~ 'select (auth\.(uid|jwt|role|email)|current_setting)\(')$$,
  'auth_rls_initplan: policies read auth.uid() once per statement, through a select');

-- 0028 anon_ and 0029 authenticated_security_definer_function_executable (WARN): nothing the
-- Data API exposes (public, graphql_public) runs as its owner for the API roles.
select is_empty(
  $$select p.oid::regprocedure from pg_catalog.pg_proc p
    where p.prosecdef and p.pronamespace in ('public'::regnamespace)
      and (has_function_privilege('anon', p.oid, 'EXECUTE')
        or has_function_privilege('authenticated', p.oid, 'EXECUTE'))$$,
  'security_definer_function_executable: no security definer function in public is callable '
  'by anon or authenticated');

-- 0014 extension_in_public (WARN), 0009 duplicate_index (WARN), 0004 no_primary_key (INFO)
select is_empty(
  $$select extname from pg_catalog.pg_extension where extnamespace = 'public'::regnamespace$$,
  'extension_in_public: no extension lives in public');
select is_empty(
  $$select i.indrelid::regclass, array_agg(i.indexrelid::regclass)
    from pg_catalog.pg_index i join pg_catalog.pg_class t on t.oid = i.indrelid
    where t.relnamespace::regnamespace::name in (select tests.project_schemas())
    group by i.indrelid, i.indkey, i.indclass, i.indcollation, i.indexprs::text, i.indpred::text
    having count(*) > 1$$,
  'duplicate_index: no two indexes are the same');
select is_empty(
  $$select c.oid::regclass from pg_catalog.pg_class c
    where c.relkind in ('r', 'p') and c.relnamespace::regnamespace::name in (select tests.project_schemas())
      and not exists (select 1 from pg_catalog.pg_index i where i.indrelid = c.oid and i.indisprimary)$$,
  'no_primary_key: every table has a primary key');

select * from finish();
rollback;
