-- The chat stores a draft's title with each answer (append_turns' title argument, 20261207000300);
-- set_session_title, the separate call it made before, has had no caller since. Gone, so that
-- `authenticated` can execute only what the chat uses.
drop function chat_internal.set_session_title(uuid, uuid, text);
