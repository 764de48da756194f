// The SDK's reading of a supabase-js client (the real library, no server: nothing here makes a
// request) and of the broadcasts on the user's topic.
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { ChatClient } from "./chat_client.ts";
import { readUserTopicEvent, userTopic } from "./realtime_topic.ts";
import { chatUrlOf, type SupabaseClientLike } from "./supabase_adapter.ts";

const noSession = { auth: { persistSession: false, autoRefreshToken: false } };

Deno.test("chatUrlOf: the chat under the project URL, as hosted and the gateway lay it out", () => {
  const cases: [string, string][] = [
    ["https://abcd.supabase.co", "wss://abcd.supabase.co/functions/v1/chat"],
    ["http://127.0.0.1:54321", "ws://127.0.0.1:54321/functions/v1/chat"],
    ["http://127.0.0.1:54321/", "ws://127.0.0.1:54321/functions/v1/chat"],
  ];
  for (const [projectUrl, chatUrl] of cases) {
    assert.equal(chatUrlOf(createClient(projectUrl, "anon", noSession)).href, chatUrl);
  }
  assert.throws(
    () => chatUrlOf({ auth: {} } as unknown as SupabaseClientLike),
    /the supabase client has no supabaseUrl .*pass url as well/,
  );
});

Deno.test("the ChatClient's options name what is missing", () => {
  const templateId = "6f687ff8-c6e2-4566-8867-8c71651d250f";
  assert.throws(
    () => new ChatClient({ templateId, getToken: () => "t" }),
    { name: "TypeError", message: "Cannot create a chat client: give url or supabase" },
  );
  assert.throws(
    () => new ChatClient({ templateId, url: "ws://127.0.0.1:1/chat" }),
    { name: "TypeError", message: "Cannot create a chat client: give getToken or supabase" },
  );
  assert.throws(
    () => new ChatClient({ templateId, url: "ws://x/chat", getToken: () => "t", realtime: true }),
    {
      name: "TypeError",
      message: "Cannot create a chat client: realtime needs the supabase option",
    },
  );
  const supabase = createClient("http://127.0.0.1:54321", "anon", noSession);
  // url and getToken given beside supabase win; nothing connects until connect().
  const client = new ChatClient({ supabase, templateId, url: "ws://127.0.0.1:1/chat" });
  assert.equal(client.state, "idle");
});

Deno.test("readUserTopicEvent", async (t) => {
  const current = { sessionId: "s1", templateId: "t1" };
  await t.step("names the topic as realtime.send does", () => {
    assert.equal(userTopic("8d0f"), "user:8d0f");
  });

  await t.step("interview_completed carries the document; sameInterview by session", () => {
    const message = {
      event: "interview_completed",
      payload: { sessionId: "s1", templateId: "t1", documentId: "d1" },
    };
    assert.deepEqual(readUserTopicEvent("interview_completed", message, current), {
      sessionId: "s1",
      templateId: "t1",
      sameInterview: true,
      documentId: "d1",
    });
    const other = { ...message, payload: { ...message.payload, sessionId: "s2" } };
    assert.equal(readUserTopicEvent("interview_completed", other, current).sameInterview, false);
  });

  await t.step("before a session is known, sameInterview goes by template", () => {
    const message = {
      event: "superseded",
      payload: { sessionId: "s9", templateId: "t1", reason: "restarted" },
    };
    assert.deepEqual(
      readUserTopicEvent("superseded", message, { sessionId: "", templateId: "t1" }),
      { sessionId: "s9", templateId: "t1", sameInterview: true, reason: "restarted" },
    );
  });

  await t.step("a payload missing its fields reads as empty strings, never throws", () => {
    assert.deepEqual(readUserTopicEvent("interview_discarded", { event: "x" }, current), {
      sessionId: "",
      templateId: "",
      sameInterview: false,
    });
    assert.deepEqual(
      readUserTopicEvent("superseded", { event: "superseded", payload: "nope" }, current),
      { sessionId: "", templateId: "", sameInterview: false, reason: "" },
    );
  });
});
