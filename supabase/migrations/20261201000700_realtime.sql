-- Realtime: who may receive the chat's Broadcast from Database. open_session broadcasts
-- `superseded` and complete_session `interview_completed` on the private topic user:<uid>
-- (20261201000200_write_path.sql). Realtime lets a client join a private topic, and delivers its
-- messages, only when that client's SELECT policies on realtime.messages let it read them, with
-- realtime.topic() set to the topic it joins. The realtime schema is the platform's (hosted: the
-- Realtime service's; locally: scripts/bootstrap.sql), so this file only adds the policy.

drop policy if exists "Users receive the broadcasts of their own topic" on realtime.messages;
create policy "Users receive the broadcasts of their own topic"
on realtime.messages
for select
to authenticated
using (
  extension = 'broadcast'
  and topic = 'user:' || (select auth.uid())::text
  and (select realtime.topic()) = topic
);
