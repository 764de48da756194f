-- Deleting or deactivating a template checks chat_sessions.template_id; without an index that
-- check scans every session.
create index if not exists chat_sessions_template_id on public.chat_sessions (template_id);
