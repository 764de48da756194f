-- The write path of the chat function, and its two reads. These functions live in chat_internal,
-- a schema the Data API does not expose, so a user holding their own JWT cannot call them; the
-- chat function calls them inside a transaction that carries the caller's claims, and each one
-- acts for auth.uid() alone. Every write is fenced twice: by the connection that owns the
-- interview (the newest one, so a superseded connection can never write again) and by the
-- expected turn count (an optimistic version, so concurrent writers can never interleave turns).
--
-- The writes check what they store, whoever calls them, so that a direct call can never store
-- what the chat would refuse: each turn's shape (role, content, `at`, ids) and the protocol's
-- limits, at most 4 turns per call, at most 500 turns and 1,000,000 bytes of history per session,
-- and a completion only of a session with an answer, with a markdown document of at most
-- 200,000 characters and a title of at most 500 (LIMITS.maxDocumentChars and
-- maxDocumentTitleChars in _shared/wire/constants.ts; a Deno test holds the two equal). Abandoned interviews are bounded too: a restart keeps the newest 5 of a
-- user's abandoned sessions on the template and deletes older ones.
--
-- Refusals carry their own SQLSTATE so the caller can tell them apart:
--   CH401 no signed-in user, or the user does not exist
--   CH404 template or session not found (or not the caller's), CH410 interview already closed,
--   CH409 superseded by a newer connection, CH412 history changed since it was read,
--   CH403 document not the caller's, 22023 malformed argument (the message says which),
--   CH413 too large (a turn, a call's turns, the session's history),
--   CH414 a document over its maximum (200,000 characters of content, or a title over 500),
--   CH415 a document in a format other than markdown, CH422 a completion without any answer,
--   CH416 an answer, a document or its title holding an invisible or control character (bidi
--   controls, zero-width characters, C0/C1 controls: invisible_character_position below).
--   CH429 a quota reached: open interviews, sessions started per minute, documents per day
--   (quotas.sql; the message says which and when to try again).

create schema if not exists chat_internal;
comment on schema chat_internal is
  'Write path of the chat function; never exposed through the Data API.';
revoke all on schema chat_internal from public;
grant usage on schema chat_internal to authenticated;
-- No default privileges to take back here: the platform grants none in this schema, and PUBLIC's
-- EXECUTE on new functions is revoked globally (schema_and_rls). New objects are their owner's
-- until a grant below.

-- Last connection wins across instances. Every claim of an interview draws a generation from one
-- sequence while holding the session's row lock, so for any session the newest claim has the
-- highest generation; open_session announces (user, connection, generation) on the
-- chat_connection_opened channel at commit, and every chat instance closes its own connection of
-- that user when it holds an older generation. The connection_id fence stays the guarantee: a
-- notification that never arrives costs promptness, never correctness.

create sequence if not exists chat_internal.connection_generation as bigint;
comment on sequence chat_internal.connection_generation is
  'Orders connection claims: a higher generation is a newer connection.';

-- Helpers of the functions below; not executable by the API roles.

create or replace function chat_internal.require_user() returns uuid
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
begin
  if v_user is null or not exists (select 1 from auth.users u where u.id = v_user) then
    raise exception 'No signed-in user' using errcode = 'CH401';
  end if;
  return v_user;
end;
$$;
comment on function chat_internal.require_user() is
  'The caller''s user id from the request claims; refuses anonymous callers and deleted users.';

create or replace function chat_internal.is_timestamp(p_value text) returns boolean
language plpgsql stable
set search_path = ''
as $$
begin
  -- ISO 8601 with a time zone, as the chat writes it (Date.prototype.toISOString), and a real
  -- instant: the cast refuses 2026-02-30. The shape check keeps out what the cast would accept
  -- but is no time at all ('now', 'epoch', 'infinity').
  if p_value !~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$' then
    return false;
  end if;
  perform p_value::timestamptz;
  return true;
exception
  when invalid_datetime_format or datetime_field_overflow then
    return false;
end;
$$;
comment on function chat_internal.is_timestamp(text) is
  'Whether a text is an ISO 8601 timestamp with a time zone that names a real instant.';

-- The characters an answer, a title or a document may not hold (docs/template_format.md): bidi
-- controls, zero-width and invisible format characters, C0 controls but tab, line feed and
-- carriage return, DEL, C1 controls, U+FFFE/U+FFFF, and ZWNJ/ZWJ unless both neighbours are
-- joinable (an ASCII letter, or non-ASCII that is no space and none of these). The same pattern
-- as _shared/wire/invisible_characters.ts, which a Deno test compares with this one, text and
-- behaviour; refused with CH416 wherever text is stored, so a direct call cannot store what the
-- chat refuses.
create or replace function chat_internal.invisible_character_position(p_text text)
returns integer
language sql immutable parallel safe
set search_path = ''
as $$
  select regexp_instr(p_text,
    '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u206F\uFEFF\uFFFE\uFFFF]|[\u200C\u200D](?:(?<![^\u0001-\u0040\u005B-\u0060\u007B-\u007F\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u206F\uFEFF\uFFFE\uFFFF\u200C\u200D][\u200C\u200D])|(?![^\u0001-\u0040\u005B-\u0060\u007B-\u007F\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u206F\uFEFF\uFFFE\uFFFF\u200C\u200D]))')
$$;
comment on function chat_internal.invisible_character_position(text) is
  'The position (from 1) of the first character the text may not hold, or 0.';

create or replace function chat_internal.assert_visible(p_text text, p_what text) returns void
language plpgsql immutable
set search_path = ''
as $$
declare
  v_position integer;
begin
  -- Fast path, every answer takes it: no character of the rule at all (the joiners included,
  -- which the full pattern then judges by their neighbours), one class test and no lookaround.
  if p_text !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF\uFFFE\uFFFF]' then
    return;
  end if;
  v_position := chat_internal.invisible_character_position(p_text);
  if v_position > 0 then
    raise exception '% holds an invisible or control character (U+%, position %): remove it',
      p_what, lpad(upper(to_hex(ascii(substr(p_text, v_position, 1)))), 4, '0'), v_position
      using errcode = 'CH416';
  end if;
end;
$$;
comment on function chat_internal.assert_visible(text, text) is
  'Refuses (CH416) a text holding a character of invisible_character_position, naming it.';

create or replace function chat_internal.assert_turns(p_turns jsonb) returns void
language plpgsql stable
set search_path = ''
as $$
declare
  v_turn jsonb;
  v_n bigint;
  v_content text;
begin
  if p_turns is null or jsonb_typeof(p_turns) <> 'array' or jsonb_array_length(p_turns) = 0 then
    raise exception 'Turns must be a non-empty JSON array' using errcode = '22023';
  end if;
  if jsonb_array_length(p_turns) > 4 then
    raise exception 'At most 4 turns can be stored in one call, not %', jsonb_array_length(p_turns)
      using errcode = 'CH413';
  end if;
  for v_turn, v_n in select t.turn, t.n from jsonb_array_elements(p_turns) with ordinality t(turn, n)
  loop
    if jsonb_typeof(v_turn) <> 'object' then
      raise exception 'Turn %: must be a JSON object', v_n using errcode = '22023';
    end if;
    -- A turn holds at most what the protocol allows (its own fields included): the bound on
    -- fields this check does not know.
    if octet_length(v_turn::text) > 32768 then
      raise exception 'Turn %: takes more than 32768 bytes', v_n using errcode = 'CH413';
    end if;
    if v_turn -> 'role' is distinct from '"assistant"' and v_turn -> 'role' is distinct from '"user"'
    then
      raise exception 'Turn %: role must be "assistant" or "user"', v_n using errcode = '22023';
    end if;
    if jsonb_typeof(v_turn -> 'content') is distinct from 'string' then
      raise exception 'Turn %: content must be a string', v_n using errcode = '22023';
    end if;
    v_content := v_turn ->> 'content';
    if v_content ~ '^[[:space:]]*$' then
      raise exception 'Turn %: content must not be empty', v_n using errcode = '22023';
    end if;
    -- The protocol's limits: an answer as the chat accepts it (LIMITS.maxAnswerChars), a question
    -- as the chat accepts it from the AI service.
    if v_turn ->> 'role' = 'user' and length(v_content) > 5000 then
      raise exception 'Turn %: an answer holds at most 5000 characters', v_n using errcode = 'CH413';
    end if;
    if v_turn ->> 'role' = 'user' then
      perform chat_internal.assert_visible(v_content, format('Turn %s: the answer', v_n));
    end if;
    if v_turn ->> 'role' = 'assistant' and length(v_content) > 4000 then
      raise exception 'Turn %: a question holds at most 4000 characters', v_n
        using errcode = 'CH413';
    end if;
    if jsonb_typeof(v_turn -> 'at') is distinct from 'string'
      or not chat_internal.is_timestamp(v_turn ->> 'at') then
      raise exception 'Turn %: at must be an ISO 8601 timestamp with a time zone', v_n
        using errcode = '22023';
    end if;
    if v_turn ? 'questionId' and (jsonb_typeof(v_turn -> 'questionId') <> 'string'
      or length(v_turn ->> 'questionId') not between 1 and 128) then
      raise exception 'Turn %: questionId must be a string of 1 to 128 characters', v_n
        using errcode = '22023';
    end if;
    if v_turn ? 'clientMessageId' and (jsonb_typeof(v_turn -> 'clientMessageId') <> 'string'
      or length(v_turn ->> 'clientMessageId') not between 1 and 128) then
      raise exception 'Turn %: clientMessageId must be a string of 1 to 128 characters', v_n
        using errcode = '22023';
    end if;
    if v_turn ? 'source' and v_turn -> 'source' is distinct from '"ai"'
      and v_turn -> 'source' is distinct from '"builtin"' then
      raise exception 'Turn %: source must be "ai" or "builtin"', v_n using errcode = '22023';
    end if;
  end loop;
end;
$$;
comment on function chat_internal.assert_turns(jsonb) is
  'Refuses turns that are not well formed or exceed the protocol''s limits, naming the turn.';

create or replace function chat_internal.assert_history_fits(
  p_session_id uuid, p_turn_count integer, p_history_bytes integer
) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_turn_count > 500 then
    raise exception 'Session "%" would hold % turns; at most 500 fit', p_session_id, p_turn_count
      using errcode = 'CH413';
  end if;
  if p_history_bytes > 1000000 then
    raise exception 'Session "%" would hold % bytes of history; at most 1000000 fit',
      p_session_id, p_history_bytes using errcode = 'CH413';
  end if;
end;
$$;
comment on function chat_internal.assert_history_fits(uuid, integer, integer) is
  'Refuses a history of more than 500 turns or 1,000,000 bytes (as JSON text).';

create or replace function chat_internal.assert_document(p_document jsonb) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if jsonb_typeof(p_document) is distinct from 'object'
    or jsonb_typeof(p_document -> 'title') is distinct from 'string'
    or jsonb_typeof(p_document -> 'content') is distinct from 'string' then
    raise exception 'A document needs a title and a content string' using errcode = '22023';
  end if;
  if p_document ->> 'title' ~ '^[[:space:]]*$' or p_document ->> 'content' = '' then
    raise exception 'A document needs a title and a content that are not empty'
      using errcode = '22023';
  end if;
  -- The one maximum for a stored document: what every renderer of the documents function is
  -- measured to handle within an Edge Function's limits (docs/decisions.md).
  if length(p_document ->> 'title') > 500 then
    raise exception 'A document title holds at most 500 characters, not %',
      length(p_document ->> 'title') using errcode = 'CH414';
  end if;
  if length(p_document ->> 'content') > 200000 then
    raise exception 'A document holds at most 200000 characters, not %',
      length(p_document ->> 'content') using errcode = 'CH414';
  end if;
  perform chat_internal.assert_visible(p_document ->> 'title', 'The document title');
  perform chat_internal.assert_visible(p_document ->> 'content', 'The document');
  if p_document ? 'format' and p_document -> 'format' is distinct from '"markdown"' then
    raise exception 'A document must be markdown' using errcode = 'CH415';
  end if;
end;
$$;
comment on function chat_internal.assert_document(jsonb) is
  'Refuses a document without a title and content, over its maximum (CH414), or not markdown.';

create or replace function chat_internal.explain_refused_write(
  p_user_id uuid, p_session_id uuid, p_connection_id uuid, p_expected_turn_count integer
) returns void
language plpgsql stable
set search_path = ''
as $$
declare
  v_session record;
begin
  select s.is_complete, s.abandoned_at, s.connection_id, s.turn_count into v_session
  from public.chat_sessions s
  where s.id = p_session_id and s.user_id = p_user_id;
  if not found then
    raise exception 'Session "%" not found', p_session_id using errcode = 'CH404';
  elsif v_session.is_complete or v_session.abandoned_at is not null then
    raise exception 'Session "%" is closed', p_session_id using errcode = 'CH410';
  elsif v_session.connection_id is distinct from p_connection_id then
    raise exception 'Session "%" was taken over by a newer connection', p_session_id
      using errcode = 'CH409';
  elsif v_session.turn_count <> p_expected_turn_count then
    raise exception 'Session "%" has % turns, not the expected %',
      p_session_id, v_session.turn_count, p_expected_turn_count using errcode = 'CH412';
  end if;
  raise exception 'Session "%" refused the write', p_session_id using errcode = 'CH409';
end;
$$;
comment on function chat_internal.explain_refused_write(uuid, uuid, uuid, integer) is
  'Raises the specific reason a fenced write on a session matched no row.';

-- The chat function's two reads, as functions, so that every call it makes is one statement.
--
-- Why: the chat function shares one postgres.js pool between all its users, and postgres.js
-- 3.4.9 pipelines a query onto a busy connection when none is idle. An explicit transaction
-- (`sql.begin`) on such a pool can therefore take in another caller's statement between its
-- BEGIN and COMMIT, and a BEGIN written while the socket pushes back is never marked as a
-- transaction, so the pool keeps using a connection left inside it: under the saturated bench
-- that surfaced as UNSAFE_TRANSACTION and as writes that waited on a transaction nobody would
-- end. With every call one statement in its own implicit transaction, there is no BEGIN on the
-- pool at all.
--
-- They are `security invoker`: the chat calls them as `authenticated` with the caller's claims,
-- so the RLS policies on the tables decide what a caller sees, as for a Data API read, and the
-- functions filter by nothing but the ids they are given. One slip in a WHERE clause cannot show
-- a user another user's interview: the policy stands underneath.

create or replace function chat_internal.find_template(p_template_id uuid)
returns table (
  id uuid, slug text, name text, description text, questions jsonb, body text
)
language sql stable
security invoker
set search_path = ''
as $$
  -- "Active templates are readable by signed-in users" decides: an inactive template is no row.
  select t.id, t.slug, t.name, t.description, t.questions, t.body
  from public.document_templates t
  where t.id = p_template_id
$$;
comment on function chat_internal.find_template(uuid) is
  'A template as RLS shows it to the caller (active ones to signed-in users); no row otherwise.';

create or replace function chat_internal.load_session(p_session_id uuid)
returns table (
  template_id uuid, history jsonb, turn_count integer, is_complete boolean,
  connection_id uuid, document_id uuid
)
language sql stable
security invoker
set search_path = ''
as $$
  -- "Sessions are visible to their owner" and "Documents are visible to their owner" decide.
  select s.template_id, s.history, s.turn_count, s.is_complete, s.connection_id, d.id
  from public.chat_sessions s
  left join public.generated_documents d on d.session_id = s.id
  where s.id = p_session_id
$$;
comment on function chat_internal.load_session(uuid) is
  'A session and its document id as RLS shows them to the caller: their own only.';

-- The writes: open (or resume, or restart) an interview, append turns, complete it.

create or replace function chat_internal.open_session(
  p_template_id uuid, p_connection_id uuid, p_restart boolean default false
) returns table (session_id uuid, history jsonb, turn_count integer, created boolean,
  generation bigint)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_session_id uuid;
  v_history jsonb;
  v_turn_count integer;
  v_created boolean;
  v_generation bigint;
  v_previous uuid;
  v_abandoned_id uuid;
  v_abandoned_connection uuid;
begin
  if p_connection_id is null then
    raise exception 'A connection id is required' using errcode = '22023';
  end if;
  if not exists (
    select 1 from public.document_templates t where t.id = p_template_id and t.is_active
  ) then
    raise exception 'Template "%" not found or inactive', p_template_id using errcode = 'CH404';
  end if;

  if p_restart then
    select s.id, s.connection_id into v_abandoned_id, v_abandoned_connection
    from public.chat_sessions s
    where s.user_id = v_user and s.template_id = p_template_id
      and not s.is_complete and s.abandoned_at is null
    for update;
    update public.chat_sessions s
    set abandoned_at = now(), connection_id = null
    where s.user_id = v_user and s.template_id = p_template_id
      and not s.is_complete and s.abandoned_at is null;
    -- Restarts cannot pile up abandoned sessions until the purge: keep the newest 5 of this
    -- user's on this template (never one that holds a document), delete the older ones.
    delete from public.chat_sessions s
    where s.id in (
      select a.id from public.chat_sessions a
      where a.user_id = v_user and a.template_id = p_template_id
        and a.abandoned_at is not null and not a.is_complete
        and not exists (select 1 from public.generated_documents d where d.session_id = a.id)
      order by a.abandoned_at desc, a.id desc
      offset 5
    );
  end if;

  -- Only a new session counts against the quotas (quotas.sql); a resume never does. A restart
  -- abandoned its session above, so it replaces one open interview with another.
  if not exists (
    select 1 from public.chat_sessions s
    where s.user_id = v_user and s.template_id = p_template_id
      and not s.is_complete and s.abandoned_at is null
  ) then
    perform chat_internal.assert_session_start_quotas(v_user);
  end if;

  -- Two first connections racing: the unique index lets one insert win; the other claims it.
  -- The generation is drawn while the row lock is held, so it follows the order of claims.
  insert into public.chat_sessions as s (user_id, template_id, connection_id)
  values (v_user, p_template_id, p_connection_id)
  on conflict (user_id, template_id) where not is_complete and abandoned_at is null do nothing
  returning s.id, s.history, s.turn_count, nextval('chat_internal.connection_generation')
  into v_session_id, v_history, v_turn_count, v_generation;
  v_created := found;
  if not v_created then
    select s.connection_id into v_previous
    from public.chat_sessions s
    where s.user_id = v_user and s.template_id = p_template_id
      and not s.is_complete and s.abandoned_at is null
    for update;
    update public.chat_sessions as s
    set connection_id = p_connection_id
    where s.user_id = v_user and s.template_id = p_template_id
      and not s.is_complete and s.abandoned_at is null
    returning s.id, s.history, s.turn_count, nextval('chat_internal.connection_generation')
    into v_session_id, v_history, v_turn_count, v_generation;
    if not found then
      raise exception 'The open session on template "%" could not be claimed', p_template_id
        using errcode = 'CH409';
    end if;
  end if;

  perform pg_notify('chat_connection_opened', json_build_object(
    'userId', v_user, 'connectionId', p_connection_id, 'generation', v_generation::text
  )::text);
  -- Broadcast from Database: the user's other devices hear, at commit, that another connection
  -- took their interview (claimed it, or restarted it). Realtime delivers it on the private topic.
  if v_previous is not null and v_previous <> p_connection_id then
    perform realtime.send(
      jsonb_build_object('sessionId', v_session_id, 'templateId', p_template_id,
        'reason', 'claimed'),
      'superseded', 'user:' || v_user::text, true);
  end if;
  if v_abandoned_connection is not null and v_abandoned_connection <> p_connection_id then
    perform realtime.send(
      jsonb_build_object('sessionId', v_abandoned_id, 'templateId', p_template_id,
        'reason', 'restarted'),
      'superseded', 'user:' || v_user::text, true);
  end if;
  return query select v_session_id, v_history, v_turn_count, v_created, v_generation;
end;
$$;
comment on function chat_internal.open_session(uuid, uuid, boolean) is
  'Finds or creates the caller''s open interview, hands it to this connection, announces it '
  '(NOTIFY for the chat instances, a superseded broadcast on user:<uid> for the user''s devices).';

create or replace function chat_internal.append_turns(
  p_session_id uuid, p_connection_id uuid, p_expected_turn_count integer, p_turns jsonb
) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_turn_count integer;
  v_history_bytes integer;
begin
  perform chat_internal.assert_turns(p_turns);
  update public.chat_sessions s
  set history = s.history || p_turns,
    turn_count = s.turn_count + jsonb_array_length(p_turns)
  where s.id = p_session_id and s.user_id = v_user
    and not s.is_complete and s.abandoned_at is null
    and s.connection_id = p_connection_id
    and s.turn_count = p_expected_turn_count
  returning s.turn_count, octet_length(s.history::text) into v_turn_count, v_history_bytes;
  if not found then
    perform chat_internal.explain_refused_write(
      v_user, p_session_id, p_connection_id, p_expected_turn_count
    );
  end if;
  -- Checked on the new row; a refusal raises, which undoes the update.
  perform chat_internal.assert_history_fits(p_session_id, v_turn_count, v_history_bytes);
  return v_turn_count;
end;
$$;
comment on function chat_internal.append_turns(uuid, uuid, integer, jsonb) is
  'Appends turns to the caller''s open interview if this connection owns it and nothing changed.';

create or replace function chat_internal.complete_session(
  p_session_id uuid,
  p_connection_id uuid,
  p_expected_turn_count integer,
  p_turns jsonb,
  p_document jsonb,
  p_document_id uuid default null
) returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_template_id uuid;
  v_turn_count integer;
  v_history_bytes integer;
  v_answered boolean;
  v_document_id uuid;
  v_format text;
  v_length integer;
  v_title text;
  v_content text;
begin
  if (p_document is null) = (p_document_id is null) then
    raise exception 'Give either a document or a document id' using errcode = '22023';
  end if;
  if p_document is not null then
    perform chat_internal.assert_document(p_document);
  end if;
  if p_turns is not null and p_turns <> '[]'::jsonb then
    perform chat_internal.assert_turns(p_turns);
  end if;

  update public.chat_sessions s
  set history = s.history || coalesce(p_turns, '[]'::jsonb),
    turn_count = s.turn_count + jsonb_array_length(coalesce(p_turns, '[]'::jsonb)),
    is_complete = true,
    completed_at = now(),
    connection_id = null
  where s.id = p_session_id and s.user_id = v_user
    and not s.is_complete and s.abandoned_at is null
    and s.connection_id = p_connection_id
    and s.turn_count = p_expected_turn_count
  returning s.template_id, s.turn_count, octet_length(s.history::text),
    s.history @> '[{"role": "user"}]'
  into v_template_id, v_turn_count, v_history_bytes, v_answered;
  if not found then
    perform chat_internal.explain_refused_write(
      v_user, p_session_id, p_connection_id, p_expected_turn_count
    );
  end if;
  -- Checked on the completed row; a refusal raises, which undoes the update.
  perform chat_internal.assert_history_fits(p_session_id, v_turn_count, v_history_bytes);
  if not v_answered then
    raise exception 'Session "%" has no answer, so it cannot be completed', p_session_id
      using errcode = 'CH422';
  end if;

  perform chat_internal.assert_document_quota(v_user, p_document_id);

  if p_document_id is not null then
    update public.generated_documents d
    set session_id = p_session_id
    where d.id = p_document_id and d.user_id = v_user
      and (d.session_id is null or d.session_id = p_session_id)
    returning d.id, d.format, length(d.content), d.title, d.content
    into v_document_id, v_format, v_length, v_title, v_content;
    if not found then
      raise exception 'Document "%" does not belong to this session''s user', p_document_id
        using errcode = 'CH403';
    end if;
    -- A document someone else stored (the AI service, with the service role) meets the same bar.
    if v_format <> 'markdown' then
      raise exception 'A document must be markdown' using errcode = 'CH415';
    end if;
    if v_length > 200000 then
      raise exception 'A document holds at most 200000 characters, not %', v_length
        using errcode = 'CH414';
    end if;
    perform chat_internal.assert_visible(v_title, 'The document title');
    perform chat_internal.assert_visible(v_content, 'The document');
  else
    insert into public.generated_documents (session_id, user_id, template_id, title, content,
      format)
    values (p_session_id, v_user, v_template_id, p_document ->> 'title', p_document ->> 'content',
      'markdown')
    returning id into v_document_id;
  end if;

  -- Broadcast from Database, in the same transaction: the user's devices hear of the document.
  perform realtime.send(
    jsonb_build_object('sessionId', p_session_id, 'templateId', v_template_id,
      'documentId', v_document_id),
    'interview_completed', 'user:' || v_user::text, true);
  return v_document_id;
end;
$$;
comment on function chat_internal.complete_session(uuid, uuid, integer, jsonb, jsonb, uuid) is
  'Appends the last turns, stores the document and marks the interview complete, atomically, '
  'and broadcasts interview_completed on user:<uid>.';

-- Explicit grants: the chat's three writes and two reads are executable by signed-in users
-- only, the helpers by their owner alone (the revoke also covers a database whose default
-- privileges were not changed yet).
revoke all on all functions in schema chat_internal from public, anon, authenticated, service_role;
grant execute on function
  chat_internal.find_template(uuid),
  chat_internal.load_session(uuid),
  chat_internal.open_session(uuid, uuid, boolean),
  chat_internal.append_turns(uuid, uuid, integer, jsonb),
  chat_internal.complete_session(uuid, uuid, integer, jsonb, jsonb, uuid)
  to authenticated;
