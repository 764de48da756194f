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
--
-- A reconnect can itself be cut after its claim and before its client heard the new generation; the
-- client then reconnects naming the same older one. That claim came from the same tab, so it is no
-- newer tab: the newest claim records the generation it named (held_generation), and a reconnect
-- naming that same one is let in.

create table if not exists chat_internal.user_claims (
  user_id uuid primary key references auth.users (id) on delete cascade,
  generation bigint not null,
  held_generation bigint
);
comment on table chat_internal.user_claims is
  'Each user''s newest connection claim (its generation, and the one it named if a reconnect), '
  'so a reconnect that lost an older one can be refused.';

-- The one rule, for the claim and the handshake's check alike.
create or replace function chat_internal.claim_is_newer(
  p_claim chat_internal.user_claims, p_held_generation bigint
) returns boolean
language sql immutable
set search_path = ''
as $$
  select p_claim.generation > p_held_generation
    and p_claim.held_generation is distinct from p_held_generation
$$;
comment on function chat_internal.claim_is_newer(chat_internal.user_claims, bigint) is
  'Whether the claim is a newer tab''s than the one that held p_held_generation (a claim that '
  'named the same generation is that tab''s own reconnect).';
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
  v_newest chat_internal.user_claims;
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
  select * into v_newest from chat_internal.user_claims c where c.user_id = v_user;
  if p_held_generation is not null and v_newest.user_id is not null
    and chat_internal.claim_is_newer(v_newest, p_held_generation) then
    raise exception 'A newer connection (generation %) holds the interview; this one held %',
      v_newest.generation, p_held_generation using errcode = 'CH409';
  end if;
  select * into v_claim
  from chat_internal.open_session(p_template_id, p_connection_id, p_restart, p_session_id, p_new);
  -- The lock above orders a user's claims, so this claim is the newest.
  insert into chat_internal.user_claims as c (user_id, generation, held_generation)
  values (v_user, v_claim.generation, p_held_generation)
  on conflict (user_id) do update
    set generation = excluded.generation, held_generation = excluded.held_generation;
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
    where c.user_id = chat_internal.require_user()
      and chat_internal.claim_is_newer(c, p_held_generation)
  )
$$;
comment on function chat_internal.newer_claim_exists(bigint) is
  'Whether the caller has a claim newer than p_held_generation: the handshake refuses such a '
  'reconnect (4509) before it touches any connection.';

revoke all on function
  chat_internal.claim_is_newer(chat_internal.user_claims, bigint),
  chat_internal.claim_session(uuid, uuid, boolean, uuid, boolean, bigint),
  chat_internal.newer_claim_exists(bigint)
  from public, anon, authenticated, service_role;
grant execute on function
  chat_internal.claim_session(uuid, uuid, boolean, uuid, boolean, bigint),
  chat_internal.newer_claim_exists(bigint)
  to authenticated;
