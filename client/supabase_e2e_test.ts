// The SDK given a real supabase-js client, against the real chat behind the local gateway: the
// session read from the library's storage (no Auth server), a refresh through the library reaching
// the open socket in band, and the subscription to the user's Realtime topic with its handler.
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { ChatClient, type ChatClientEventMap } from "./chat_client.ts";
import { createTemplate, signToken } from "../test_support/local_stack.ts";
import {
  clientWithStoredSession,
  type StoredSession,
  type SupabaseStack,
  withSupabaseStack,
} from "../test_support/supabase_stack.ts";

/** The next event of this type that passes `accept`, as a promise. */
function next<K extends keyof ChatClientEventMap>(
  client: ChatClient,
  type: K,
  accept: (detail: ChatClientEventMap[K]) => boolean = () => true,
): Promise<ChatClientEventMap[K]> {
  return new Promise((resolve) => {
    const off = client.on(type, (detail) => {
      if (!accept(detail)) return;
      off();
      resolve(detail);
    });
  });
}

/** A signed-in user whose stored session holds a ten-minute token, to be refreshed to an hour. */
async function storedSession(stack: SupabaseStack): Promise<StoredSession> {
  const session = await stack.signIn();
  const shortLived = await signToken(session.user.id, {
    expiresIn: "10m",
    claims: { email: session.user.email },
  });
  const expiresAt = Math.floor(Date.now() / 1000) + 600;
  return { ...session, access_token: shortLived, expires_at: expiresAt, expires_in: 600 };
}

async function closeAll(client: ChatClient, supabase: SupabaseClient): Promise<void> {
  const closed = client.state === "closed"
    ? undefined
    : next(client, "state", (d) => d.state === "closed");
  client.close();
  await closed;
  await supabase.removeAllChannels();
}

Deno.test("the SDK over the gateway with a supabase-js client", async (t) => {
  await withSupabaseStack(async (stack) => {
    await t.step(
      "the session in the library's storage, its refresh in band, an interview to the end",
      async () => {
        const session = await storedSession(stack);
        const supabase = clientWithStoredSession(stack.supabaseUrl, session);
        const templateId = await createTemplate(stack.sql, 2);
        const client = new ChatClient({ supabase, templateId, heartbeatIntervalMs: 0 });
        try {
          const first = next(client, "question");
          client.connect();
          const asked = await first;
          assert.equal(asked.question.id, "q1");

          // The library refreshes (the Auth stand-in behind the gateway answers): TOKEN_REFRESHED
          // hands the new token to the socket, and the server confirms it with its expiry.
          const confirmed = next(client, "token_refreshed");
          const refreshed = await supabase.auth.refreshSession();
          assert.equal(refreshed.error, null);
          const newToken = refreshed.data.session!.access_token;
          assert.notEqual(newToken, session.access_token);
          const { expiresAt } = await confirmed;
          const exp =
            JSON.parse(atob(newToken.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")))
              .exp;
          assert.equal(Date.parse(expiresAt), exp * 1000, "the server holds the refreshed token");

          const second = next(client, "question", (d) => d.question.id === "q2");
          client.answer("Acme Ltd");
          await second;
          const review = next(client, "review");
          client.answer("Beta GmbH");
          assert.match((await review).document.content, /Acme Ltd[\s\S]*Beta GmbH/);
          const complete = next(client, "complete");
          client.confirm();
          const { documentId } = await complete;
          const [row] = await stack.sql`
            select d.id from public.generated_documents d
            join public.chat_sessions s on s.id = d.session_id
            where d.id = ${documentId} and s.user_id = ${session.user.id}`;
          assert.equal(row?.id, documentId, "the document is the signed-in user's");
        } catch (error) {
          console.error(stack.logs().join("\n"));
          throw error;
        } finally {
          await closeAll(client, supabase);
        }
      },
    );

    await t.step("with no one signed in, the client says so in its error", async () => {
      const supabase = clientWithStoredSession(stack.supabaseUrl, {} as StoredSession);
      const templateId = await createTemplate(stack.sql, 1);
      const client = new ChatClient({ supabase, templateId, maxReconnectAttempts: 0 });
      const error = next(client, "error");
      client.connect();
      assert.deepEqual(await error, {
        source: "client",
        code: "token_unavailable",
        message: "Cannot get an access token: no one is signed in (supabase.auth has no " +
          "session): sign the user in first",
        retryable: true,
      });
      await closeAll(client, supabase);
    });

    await t.step("a sign-out closes the interview", async () => {
      const session = await storedSession(stack);
      const supabase = clientWithStoredSession(stack.supabaseUrl, session);
      const client = new ChatClient({
        supabase,
        templateId: await createTemplate(stack.sql, 2),
        heartbeatIntervalMs: 0,
      });
      const asked = next(client, "question");
      client.connect();
      await asked;
      const error = next(client, "error");
      const closed = next(client, "state", (d) => d.state === "closed");
      await supabase.auth.signOut();
      assert.equal((await error).code, "signed_out");
      assert.equal((await closed).code, 1000);
      await supabase.removeAllChannels();
    });

    await t.step(
      "realtime: the private topic user:<uid>, and its broadcasts as the client's events",
      async () => {
        const session = await storedSession(stack);
        const supabase = clientWithStoredSession(stack.supabaseUrl, session);
        const templateId = await createTemplate(stack.sql, 2);
        const client = new ChatClient({
          supabase,
          templateId,
          realtime: true,
          heartbeatIntervalMs: 0,
        });
        try {
          const asked = next(client, "question");
          client.connect();
          const { sessionId } = await asked;
          const [channel] = supabase.getChannels();
          assert.equal(channel?.topic, `realtime:user:${session.user.id}`);
          assert.equal(channel?.private, true, "a private channel: only this user may join");
          const bindings = (channel as unknown as {
            bindings: { broadcast?: { filter: { event: string }; callback(m: unknown): void }[] };
          }).bindings.broadcast ?? [];
          assert.deepEqual(
            bindings.map((binding) => binding.filter.event),
            ["interview_completed", "superseded", "interview_discarded"],
          );
          // Delivery needs a Realtime server, which the local stack has not: the handler the SDK
          // bound is given the message as supabase-js hands a broadcast to it.
          const completed = next(client, "interview_completed");
          const superseded = next(client, "superseded");
          const handlerOf = (event: string) =>
            bindings.find((binding) => binding.filter.event === event)!.callback;
          handlerOf("interview_completed")({
            type: "broadcast",
            event: "interview_completed",
            payload: { sessionId: "other", templateId, documentId: "doc-1" },
          });
          handlerOf("superseded")({
            type: "broadcast",
            event: "superseded",
            payload: { sessionId, templateId, reason: "claimed" },
          });
          assert.deepEqual(await completed, {
            sessionId: "other",
            templateId,
            sameInterview: false,
            documentId: "doc-1",
          });
          assert.deepEqual(await superseded, {
            sessionId,
            templateId,
            sameInterview: true,
            reason: "claimed",
          });
        } finally {
          await closeAll(client, supabase);
        }
        assert.deepEqual(supabase.getChannels(), [], "close() leaves the topic");
      },
    );
  });
});
