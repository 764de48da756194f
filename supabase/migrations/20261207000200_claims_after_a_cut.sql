-- A reconnect never takes over from a connection newer than the one it lost (issue 27, Build 7).
--
-- When the server closes a superseded connection while its client is sending, the client can see a
-- cut (1006) instead of 4509, reconnect, and supersede the newer tab: the older tab would win. So
-- the chat records each user's newest claim, and a reconnect names the generation it last held:
-- claim_session refuses it (CH409, superseded) when a newer claim of the user exists. A claim that
-- names no generation (a first connection, or the page's "Continue here") takes over as before.
--
-- Per user, not per session: last connection wins across the user's templates, so a newer tab on
-- another template is newer too.

create table if not exists chat_internal.user_claims (
  user_id uuid primary key references auth.users (id) on delete cascade,
  generation bigint not null
);
comment on table chat_internal.user_claims is
  'Each user''s newest connection claim (its generation), so a reconnect that lost an older one '
  'can be refused.';
alter table chat_internal.user_claims enable row level security;
revoke all on table chat_internal.user_claims from public, anon, authenticated, service_role;

create or replace function chat_internal.claim_session(
  p_template_id uuid, p_connection_id uuid, p_restart boolean default false,
  p_session_id uuid default null, p_new boolean default false,
  p_held_generation bigint default null
) returns table (session_id uuid, history jsonb, turn_count integer, created boolean,
  generation bigint)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_newest bigint;
  v_claim record;
begin
  if p_held_generation is not null and p_held_generation < 1 then
    raise exception 'A held generation is a positive number, not %', p_held_generation
      using errcode = '22023';
  end if;
  -- One claim of a user at a time, across their templates, so that the check below and the claim
  -- are one step: no newer claim can slip in between.
  perform pg_advisory_xact_lock(hashtextextended(
    'chat_internal.claim_session:' || v_user::text, 0));
  select c.generation into v_newest from chat_internal.user_claims c where c.user_id = v_user;
  if p_held_generation is not null and v_newest is not null and v_newest > p_held_generation then
    raise exception 'A newer connection (generation %) holds the interview; this one held %',
      v_newest, p_held_generation using errcode = 'CH409';
  end if;
  select * into v_claim
  from chat_internal.open_session(p_template_id, p_connection_id, p_restart, p_session_id, p_new);
  insert into chat_internal.user_claims as c (user_id, generation)
  values (v_user, v_claim.generation)
  on conflict (user_id) do update set generation = greatest(c.generation, excluded.generation);
  return query select v_claim.session_id, v_claim.history, v_claim.turn_count, v_claim.created,
    v_claim.generation;
end;
$$;
comment on function chat_internal.claim_session(uuid, uuid, boolean, uuid, boolean, bigint) is
  'open_session, recording the user''s newest claim; with p_held_generation (a reconnect), '
  'refused (CH409) when a newer claim of the user exists.';

create or replace function chat_internal.newer_claim_exists(p_held_generation bigint)
returns boolean
language sql stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from chat_internal.user_claims c
    where c.user_id = chat_internal.require_user() and c.generation > p_held_generation
  )
$$;
comment on function chat_internal.newer_claim_exists(bigint) is
  'Whether the caller has a claim newer than p_held_generation: the handshake refuses such a '
  'reconnect (4509) before it touches any connection.';

revoke all on function
  chat_internal.claim_session(uuid, uuid, boolean, uuid, boolean, bigint),
  chat_internal.newer_claim_exists(bigint)
  from public, anon, authenticated, service_role;
grant execute on function
  chat_internal.claim_session(uuid, uuid, boolean, uuid, boolean, bigint),
  chat_internal.newer_claim_exists(bigint)
  to authenticated;
