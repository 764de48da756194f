// The packaged SDK as an app gets it: `npm run build:client`'s package, packed with `npm pack`,
// installed with @supabase/supabase-js into a scratch project in a temporary folder, and an
// interview run end to end by a Node script there that uses only those two packages, against the
// real chat behind the local gateway. The scratch project's TypeScript is checked against the
// package's declarations too.
import assert from "node:assert/strict";
import { createTemplate, ROOT } from "../test_support/local_stack.ts";
import { withSupabaseStack } from "../test_support/supabase_stack.ts";

const SUPABASE_JS = "@supabase/supabase-js@2.119.2";

async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<string> {
  const output = await new Deno.Command(command, {
    args,
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  if (!output.success) {
    const stderr = new TextDecoder().decode(output.stderr);
    throw new Error(
      `${command} ${args.join(" ")} failed (${output.code}):\n${stdout}\n${stderr}`,
    );
  }
  return stdout;
}

/** The app: signs in with supabase-js (setSession), then one interview through the SDK. */
const APP = `
import { createClient } from "@supabase/supabase-js";
import { ChatClient } from "@guided-document-chat/client";

const { SUPABASE_URL, ANON_KEY, SESSION, TEMPLATE_ID } = process.env;
const session = JSON.parse(SESSION);
const supabase = createClient(SUPABASE_URL, ANON_KEY, { auth: { autoRefreshToken: false } });
const { error } = await supabase.auth.setSession({
  access_token: session.access_token,
  refresh_token: session.refresh_token,
});
if (error) throw error;

const answers = ["Acme Ltd", "Beta GmbH"];
const chat = new ChatClient({ supabase, templateId: TEMPLATE_ID, heartbeatIntervalMs: 0 });
chat.on("question", ({ question, repeated }) => {
  if (!repeated) chat.answer(answers.shift() ?? "more");
});
chat.on("review", ({ document }) => {
  console.error("review:", document.title);
  chat.confirm();
});
chat.on("complete", ({ sessionId, documentId }) => {
  console.log(JSON.stringify({ sessionId, documentId, protocol: chat.protocol }));
  process.exit(0);
});
chat.on("error", (detail) => console.error("error:", JSON.stringify(detail)));
chat.on("state", ({ state, code, reason }) => {
  if (state === "closed") {
    console.error("closed before completing:", code, reason);
    process.exit(2);
  }
});
chat.connect();
`;

/** What an app's TypeScript writes against the package: checked, not run. */
const TYPED_APP = `
import { createClient } from "@supabase/supabase-js";
import { ChatClient, type Question } from "@guided-document-chat/client";

const supabase = createClient("https://abcd.supabase.co", "anon-key");
const chat = new ChatClient({ supabase, templateId: "t", realtime: true });
chat.on("question", ({ question }: { question: Question }) => console.log(question.text));
chat.on("interview_completed", ({ documentId, sameInterview }) => {
  const id: string = documentId;
  const mine: boolean = sameInterview;
  console.log(id, mine);
});
// @ts-expect-error: an answer is a string
chat.answer(42);
`;

Deno.test("the packed SDK in a scratch app with supabase-js, over the gateway", async () => {
  const scratch = await Deno.makeTempDir({ prefix: "sdk-scratch-" });
  try {
    const out = `${scratch}/package`;
    await run(Deno.execPath(), [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-run",
      "--allow-env",
      `${ROOT}scripts/build_client.ts`,
      "--out",
      out,
    ], { cwd: ROOT });
    const packed = (await run("npm", ["pack", "--silent", "--pack-destination", scratch], {
      cwd: out,
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: Deno.env.get("HOME") ?? "/tmp",
      },
    })).trim().split("\n").at(-1)!;
    assert.equal(packed, "guided-document-chat-client-0.1.0.tgz");

    const app = `${scratch}/app`;
    await Deno.mkdir(app);
    await Deno.writeTextFile(
      `${app}/package.json`,
      JSON.stringify({ name: "scratch-app", private: true, type: "module" }),
    );
    await run("npm", [
      "install",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      `${scratch}/${packed}`,
      SUPABASE_JS,
    ], {
      cwd: app,
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: Deno.env.get("HOME") ?? "/tmp",
      },
    });
    const installed = JSON.parse(
      await Deno.readTextFile(
        `${app}/node_modules/@guided-document-chat/client/package.json`,
      ),
    );
    assert.equal(installed.types, "./index.d.ts");
    assert.deepEqual(Object.keys(installed.exports), ["."]);

    await Deno.writeTextFile(`${app}/typed_app.ts`, TYPED_APP);
    await run(Deno.execPath(), [
      "check",
      "--node-modules-dir=manual",
      "typed_app.ts",
    ], {
      cwd: app,
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: Deno.env.get("HOME") ?? "/tmp",
      },
    });

    await Deno.writeTextFile(`${app}/app.mjs`, APP);
    await withSupabaseStack(async (stack) => {
      const session = await stack.signIn();
      const templateId = await createTemplate(stack.sql, 2);
      const nodeMajor = Number(
        (await run("node", ["-p", "process.versions.node"], {
          cwd: app,
          env: { PATH: Deno.env.get("PATH") ?? "" },
        })).split(".")[0],
      );
      const flags = nodeMajor < 22 ? ["--experimental-websocket", "--no-warnings"] : [];
      let printed: string;
      try {
        printed = await run("node", [...flags, "app.mjs"], {
          cwd: app,
          env: {
            PATH: Deno.env.get("PATH") ?? "",
            SUPABASE_URL: stack.supabaseUrl,
            ANON_KEY: "local-anon-key",
            SESSION: JSON.stringify(session),
            TEMPLATE_ID: templateId,
          },
        });
      } catch (error) {
        console.error(stack.logs().join("\n"));
        throw error;
      }
      const { sessionId, documentId } = JSON.parse(
        printed.trim().split("\n").at(-1)!,
      );
      const [row] = await stack.sql`
        select s.user_id, s.is_complete from public.generated_documents d
        join public.chat_sessions s on s.id = d.session_id
        where d.id = ${documentId} and s.id = ${sessionId}`;
      assert.equal(
        row?.user_id,
        session.user.id,
        "the document of the app's signed-in user",
      );
      assert.equal(row?.is_complete, true);
    });
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});
