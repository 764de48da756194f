// Browser end-to-end: Debian's Chromium (driven by playwright-core, no browser download) opens
// the demo page served by the dev portal, signs in with the dev token endpoint, completes the
// seeded mutual NDA against the real chat process, reloads mid-way and resumes, and saves
// screenshots of the chat and of the finished document to test-artifacts/.
import assert from "node:assert/strict";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { startEngineAiService } from "../../test_support/engine_ai_service.ts";
import {
  adminSql,
  chatEnv,
  DB_URL,
  freePort,
  JWT_SECRET,
  ROOT,
  startDenoProcess,
  startFunction,
} from "../../test_support/local_stack.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = `${ROOT}test-artifacts`;
const NDA_TEMPLATE_ID = "6f687ff8-c6e2-4566-8867-8c71651d250f";

/** Answers by question id, in the order the NDA asks them. */
const ANSWERS: Record<string, string> = {
  party_a_name: "Acme Robotics, Inc.",
  party_a_email: "legal@acme.example",
  party_b_name: "Blue Harbor <Analytics> LLC",
  party_b_email: "contracts@blueharbor.example",
  effective_date: "2026-03-01",
  purpose: "Evaluating a possible software licensing partnership.",
  confidentiality_years: "3",
  governing_law: "Delaware",
  include_non_solicit: "Yes",
  non_solicit_months: "12",
  additional_terms: "skip",
};

async function launch(): Promise<BrowserContext> {
  const profile = await Deno.makeTempDir({ prefix: "chromium-profile-" });
  return await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 900, height: 1000 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The id of the question the page is waiting for an answer to. */
async function pendingQuestionId(page: Page): Promise<string> {
  await page.waitForSelector("#answer:not([disabled])", { timeout: 15_000 });
  const id = await page.locator('#transcript .bubble[data-role="assistant"]').last()
    .getAttribute("data-question-id");
  assert.ok(id, "the last assistant bubble names its question");
  return id;
}

/** Types an answer and waits for the next question or the document. */
async function answer(page: Page, text: string): Promise<void> {
  const asked = await page.locator('#transcript .bubble[data-role="assistant"]').count();
  await page.fill("#answer", text);
  await page.press("#answer", "Enter");
  // Runs in the page, whose DOM this file (checked without the DOM library) declares by hand.
  await page.waitForFunction(
    (count) => {
      const { document } = globalThis as unknown as {
        document: {
          querySelectorAll(selector: string): { length: number };
          getElementById(id: string): { hidden: boolean };
        };
      };
      return document.querySelectorAll('#transcript .bubble[data-role="assistant"]').length >
          count || !document.getElementById("document").hidden;
    },
    asked,
    { timeout: 15_000 },
  );
}

function userBubbles(page: Page): Promise<string[]> {
  return page.locator('#transcript .bubble[data-role="user"]').allTextContents();
}

Deno.test({
  name: "the demo page completes an interview in Chromium, resuming after a reload",
  // playwright-core keeps its own pipes and timers to the browser process.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    try {
      await Deno.stat(CHROMIUM);
    } catch {
      throw new Error(`${CHROMIUM} is missing: npm test installs it (apt-get install chromium)`);
    }
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const sql = adminSql();
    const ai = startEngineAiService();
    const chat = await startFunction("chat", chatEnv(ai.url));
    const portalPort = freePort();
    const portal = await startDenoProcess("scripts/dev_portal.ts", {
      ...chatEnv(ai.url),
      DEV_PORTAL: "true",
      DEV_PORTAL_PORT: String(portalPort),
      DEV_PORTAL_CHAT_URL: `ws://127.0.0.1:${chat.port}/chat`,
      SUPABASE_DB_URL: DB_URL,
      JWT_SECRET,
    }, { port: portalPort, permissions: ["--allow-run"] });
    const context = await launch();
    const problems: string[] = [];
    const page = context.pages()[0] ?? await context.newPage();
    try {
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });
      await page.goto(`http://127.0.0.1:${portalPort}/`);

      const email = `browser-${crypto.randomUUID().slice(0, 8)}@example.test`;
      await page.fill("#email", email);
      await page.click("#sign-in-form button[type=submit]");
      await page.click(`[data-template-id="${NDA_TEMPLATE_ID}"]`);
      await page.waitForSelector("#status[data-state=open]");
      assert.equal(await page.textContent("#chat-title"), "Mutual Non-Disclosure Agreement");

      // A validation failure first: the interviewer asks again, with a hint.
      assert.equal(await pendingQuestionId(page), "party_a_name");
      await answer(page, ANSWERS.party_a_name!);
      assert.equal(await pendingQuestionId(page), "party_a_email");
      await answer(page, "not-an-email");
      assert.equal(await pendingQuestionId(page), "party_a_email", "asked again");

      // Half-way, reload the page: it resumes the same session where it was.
      for (;;) {
        const id = await pendingQuestionId(page);
        if (id === "purpose") break;
        await answer(page, ANSWERS[id]!);
      }
      const before = await userBubbles(page);
      await page.reload();
      await page.waitForSelector("#transcript .bubble[data-role=notice]");
      assert.equal(await pendingQuestionId(page), "purpose", "the pending question again");
      assert.deepEqual(await userBubbles(page), before, "the same answers, none duplicated");
      assert.equal(
        await page.locator('#transcript .bubble[data-role="assistant"]').count(),
        before.length + 1,
        "every question once, the pending one last",
      );

      for (;;) {
        const id = await pendingQuestionId(page);
        if (id === "additional_terms") break;
        await answer(page, ANSWERS[id]!);
      }
      await page.fill("#answer", ANSWERS.additional_terms!);
      await page.screenshot({ path: `${ARTIFACTS}/demo-chat.png`, fullPage: true });
      await page.press("#answer", "Enter");

      await page.waitForSelector("#document-body h1", { timeout: 15_000 });
      assert.match(page.url(), /#\/document\/[0-9a-f-]{36}$/);
      assert.equal(await page.textContent("#document-body h1"), "Mutual Non-Disclosure Agreement");
      const text = await page.textContent("#document-body") ?? "";
      assert.match(text, /Acme Robotics, Inc\./);
      assert.match(text, /Blue Harbor <Analytics> LLC/, "an answer shown as text");
      assert.equal(await page.locator("#document-body analytics").count(), 0, "never as markup");
      assert.ok(await page.locator("#document-body table td").count() > 4, "the key terms table");
      await page.screenshot({ path: `${ARTIFACTS}/demo-document.png`, fullPage: true });

      const [session] = await sql`
        select s.is_complete, s.history from chat_sessions s join auth.users u on u.id = s.user_id
        where u.email = ${email} and s.template_id = ${NDA_TEMPLATE_ID}`;
      assert.equal(session?.is_complete, true);
      const answers = (session!.history as { role: string; content: string }[])
        .filter((turn) => turn.role === "user").map((turn) => turn.content);
      assert.equal(answers.length, Object.keys(ANSWERS).length + 1, "one invalid email, no dupes");
      assert.deepEqual(problems, []);
    } catch (error) {
      await page.screenshot({ path: `${ARTIFACTS}/demo-failure.png`, fullPage: true })
        .catch(() => {});
      console.error([...problems, ...chat.logs.slice(-20), ...portal.logs.slice(-20)].join("\n"));
      throw error;
    } finally {
      await context.close();
      await portal.stop();
      await chat.stop();
      await ai.close();
      await sql.end();
    }
  },
});
