// Browser end-to-end: Debian's Chromium (driven by playwright-core, no browser download) opens
// the demo page served by the dev portal, at desktop and at phone width. A new user signs in,
// sees the documents view, answers the seeded mutual NDA against the real chat process (a blank
// answer, a refused 6,000-character one, a wrong email, a long unbroken string), sees the
// waiting indicator and a silent drop, cancels and confirms "start over", reloads and resumes,
// reviews and creates the document, downloads it, and finds it in the documents view. axe-core
// checks every view.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { adminSql } from "../../test_support/local_stack.ts";
import { readDocx, readPdf, squash } from "../../test_support/file_readers.ts";
import {
  answer,
  ARTIFACTS,
  assertAccessible,
  assertNoSideScroll,
  DESKTOP,
  download,
  focused,
  launchBrowser,
  NDA_TEMPLATE_ID,
  pendingQuestionId,
  PHONE,
  screenshot,
  signIn,
  startDemoStack,
  type Viewport,
  waitForReply,
  watchProblems,
} from "../../test_support/demo_page.ts";

/** Answers by question id, in the order the NDA asks them. */
const ANSWERS: Record<string, string> = {
  party_a_name: "Acme Robotics, Inc.",
  party_a_email: "legal@acme.example",
  party_b_name: "Blue Harbor <Analytics> LLC",
  party_b_email: "contracts@blueharbor.example",
  effective_date: "2026-03-01",
  // A long unbroken string must wrap, not widen the page.
  purpose: `Evaluating a partnership: ${"x".repeat(180)}`,
  confidentiality_years: "3",
  governing_law: "Delaware",
  include_non_solicit: "Yes",
  non_solicit_months: "12",
  additional_terms: "skip",
};

const userBubbles = (page: Page) =>
  page.locator('#transcript .bubble[data-role="user"] .text').allTextContents();

async function answerUntil(page: Page, stopAt: string): Promise<void> {
  for (;;) {
    const id = await pendingQuestionId(page);
    if (id === stopAt) return;
    await answer(page, ANSWERS[id]!);
  }
}

async function interview(viewport: Viewport): Promise<void> {
  const stack = await startDemoStack();
  const sql = adminSql();
  const context = await launchBrowser(viewport);
  const page = context.pages()[0] ?? await context.newPage();
  const problems = watchProblems(page);
  const shot = (name: string, options?: { fullPage: boolean }) =>
    screenshot(page, viewport, name, options);
  try {
    await page.goto(stack.portalUrl);
    await page.waitForSelector("#sign-in:not([hidden])");
    assert.equal((await focused(page)).id, "sign-in-heading");
    await page.fill("#email", "not an email");
    await page.press("#email", "Enter");
    assert.equal(
      await page.textContent("#sign-in-error"),
      '"not an email" is not an email address.',
    );
    await assertAccessible(page, "sign-in");
    await shot("sign-in");

    const email = `browser-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await signIn(page, email);
    assert.equal((await focused(page)).id, "documents-heading", "focus after sign-in");
    assert.equal(await page.isVisible("#finished-empty"), true, "a new user has no documents");
    const card = `#template-list [data-template-id="${NDA_TEMPLATE_ID}"]`;
    assert.match(await page.textContent(card) ?? "", /Not started/);
    await assertAccessible(page, "documents (empty)");
    await assertNoSideScroll(page, "documents");
    await shot("documents-new-user");

    await page.click(`${card} button:text("Start")`);
    await page.waitForSelector("#status[data-state=open]");
    assert.equal(await page.textContent("#chat-title"), "Mutual Non-Disclosure Agreement");
    assert.equal(await pendingQuestionId(page), "party_a_name");
    const first = await focused(page);
    assert.equal(first.id, "answer", "focus on the answer box");
    const firstQuestion = await page.locator("#transcript .bubble .text").first().textContent();
    assert.equal(first.label, firstQuestion, "the answer box is labelled by the question");
    assert.match(
      await page.locator('#transcript .bubble[data-role="assistant"]').first().textContent() ?? "",
      /^Question: /,
      "the bubble says who speaks",
    );

    // A blank answer gets a message and is not sent.
    await page.fill("#answer", "   ");
    await page.press("#answer", "Enter");
    assert.match(await page.textContent("#answer-error") ?? "", /spaces alone are not an answer/);
    assert.equal(await page.getAttribute("#answer-error", "role"), "alert");
    assert.equal(await page.locator('#transcript .bubble[data-role="user"]').count(), 0);

    // A 6,000-character answer is refused by the server: it stays in the box with the reason.
    const tooLong = "y".repeat(6_000);
    await answer(page, tooLong);
    assert.equal(await page.inputValue("#answer"), tooLong, "the refused text is kept");
    assert.equal(
      await page.textContent("#answer-error"),
      "Your answer is 6,000 characters long; please keep it under 5,000 characters",
      "the server's reason, in the user's words",
    );
    assert.equal(
      await page.locator('#transcript .bubble[data-role="user"]').count(),
      0,
      "not sent",
    );
    await assertNoSideScroll(page, "a refused long answer");
    await shot("answer-refused");

    // Characters counted as the person sees them, an emoji as one: the server's reason and the
    // page's counter name the same length.
    const withEmoji = "a".repeat(4_000) + "\u{1F642}".repeat(1_001);
    await answer(page, withEmoji);
    assert.equal(await page.inputValue("#answer"), withEmoji, "the refused text is kept");
    assert.equal(
      await page.textContent("#answer-error"),
      "Your answer is 5,001 characters long; please keep it under 5,000 characters",
    );
    assert.match(await page.textContent("#answer-count") ?? "", /^5,001 characters/);
    await shot("answer-refused-emoji");

    // The waiting indicator, while the server's replies are held back.
    stack.proxy.hold("server");
    await page.fill("#answer", ANSWERS.party_a_name!);
    await page.press("#answer", "Enter");
    await page.waitForSelector("#waiting.active");
    assert.equal(await page.textContent("#waiting"), "Waiting for the next question…");
    assert.equal(await page.getAttribute("#answer", "readonly"), null, "the box stays writable");
    assert.equal(await page.inputValue("#answer"), "", "the answer moved into its bubble");
    await shot("waiting");
    stack.proxy.release();
    await waitForReply(page);
    assert.equal(await pendingQuestionId(page), "party_a_email");
    assert.equal(await page.inputValue("#answer"), "", "cleared once the next question came");

    // Start over: cancelled with Escape, then confirmed.
    await page.click("#restart");
    await page.waitForSelector("#restart-dialog[open]");
    assert.equal((await focused(page)).id, "restart-cancel", "focus inside the dialog");
    await shot("restart-dialog");
    await page.keyboard.press("Escape");
    await page.waitForSelector("#restart-dialog", { state: "hidden" });
    assert.deepEqual(await userBubbles(page), [ANSWERS.party_a_name], "nothing restarted");
    await page.click("#restart");
    await page.click("#restart-confirm");
    await page.waitForFunction(
      `document.querySelectorAll('#transcript .bubble[data-role="user"]').length === 0`,
    );
    assert.equal(await pendingQuestionId(page), "party_a_name", "from the first question");
    await answer(page, ANSWERS.party_a_name!);

    // A wrong email: the question is asked again.
    assert.equal(await pendingQuestionId(page), "party_a_email");
    await answer(page, "not-an-email");
    assert.equal(await pendingQuestionId(page), "party_a_email", "asked again");

    // A silent drop: the heartbeat notices, the sticky status says so, then it reconnects.
    stack.proxy.hold("client");
    stack.proxy.hold("server");
    await page.waitForSelector("#status[data-state=reconnecting]", { timeout: 10_000 });
    assert.match(await page.textContent("#status") ?? "", /^Connection lost/);
    assert.equal(await page.getAttribute("#status", "role"), "status");
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)");
    assert.ok(await page.locator("#status").isVisible(), "the status stays in view");
    await shot("connection-lost", { fullPage: false });
    stack.proxy.release();
    await page.waitForSelector("#status[data-state=open]", { timeout: 15_000 });

    // Half-way, reload the page: it resumes the same session where it was.
    await answerUntil(page, "confidentiality_years");
    await assertNoSideScroll(page, "a long unbroken answer");
    await shot("interview");
    const before = await userBubbles(page);
    await page.reload();
    await page.waitForSelector("#transcript .bubble[data-role=notice]");
    assert.equal(await pendingQuestionId(page), "confidentiality_years", "the same question");
    assert.deepEqual(await userBubbles(page), before, "the same answers, none duplicated");
    await assertAccessible(page, "interview");

    await answerUntil(page, "additional_terms");
    await answer(page, ANSWERS.additional_terms!);
    await page.waitForSelector("#review:not([hidden])");
    await page.click("#confirm");
    await page.waitForSelector("#document-body h1", { timeout: 15_000 });
    assert.match(page.url(), /#\/document\/[0-9a-f-]{36}$/);
    const documentId = page.url().split("/").at(-1)!;

    // The document: at the top, its heading focused, answers as text, the table in its card.
    assert.equal((await focused(page)).label, "Mutual Non-Disclosure Agreement");
    assert.equal(await page.evaluate("window.scrollY"), 0, "opens at the top");
    const text = await page.textContent("#document-body") ?? "";
    assert.match(text, /Blue Harbor <Analytics> LLC/, "an answer shown as text");
    assert.equal(await page.locator("#document-body analytics").count(), 0, "never as markup");
    assert.ok(await page.locator("#document-body .table-scroll table td").count() > 4);
    assert.equal(
      await page.evaluate(`getComputedStyle(document.querySelector(".table-scroll")).overflowX`),
      "auto",
      "a wide table scrolls inside its card",
    );
    await assertNoSideScroll(page, "document");
    await assertAccessible(page, "document");
    await shot("document");

    // Downloads, read back with independent readers.
    const docx = await download(page, '#document-downloads [data-format="docx"]');
    // Named by the template's title rule, which the chat hands the engine with the template.
    assert.equal(docx.name, "NDA - Acme Robotics, Inc. and Blue Harbor Analytics LLC.docx");
    assert.match((await readDocx(docx.bytes)).text, /Blue Harbor <Analytics> LLC/);
    const pdf = await download(page, '#document-downloads [data-format="pdf"]');
    assert.match(squash((await readPdf(pdf.bytes)).text), /AcmeRobotics,Inc\./);
    const md = await download(page, '#document-downloads [data-format="md"]');
    assert.match(new TextDecoder().decode(md.bytes), /^# Mutual Non-Disclosure Agreement/);

    // The documents view lists it as finished, with its date and downloads.
    await page.click("#document-back");
    const finished = `#finished-list [data-document-id="${documentId}"]`;
    await page.waitForSelector(finished);
    assert.match(await page.textContent(finished) ?? "", /Finished\s*\w+ \d{1,2}, \d{4}/);
    assert.equal(await page.locator(`${finished} .downloads button`).count(), 4);
    assert.match(await page.textContent(card) ?? "", /Finished/);
    await page.click(`${card} button:text("View document")`);
    await page.waitForSelector(`#document-body[data-document-id="${documentId}"] h1`);
    await page.goBack();
    await page.click(`${card} button:text("New draft")`);
    assert.equal(await pendingQuestionId(page), "party_a_name", "a new interview");
    assert.equal(await page.locator("#transcript .bubble[data-role=notice]").count(), 0);
    await answer(page, ANSWERS.party_a_name!);
    assert.equal(await page.textContent("#progress-text"), "Question 2 of 10");

    // Back in the documents view: the finished document, and the new interview in progress.
    await page.click("#back");
    await page.waitForSelector(`${card} .badge.in-progress`);
    // Counted as the chat counts it (non_solicit_months applies only after a "Yes" to its gate).
    assert.match(await page.textContent(card) ?? "", /In progress\s*1 of 10 questions answered/);
    assert.deepEqual(await page.locator(`${card} button`).allTextContents(), [
      "Continue",
      "Discard",
      "View document",
      "New draft",
    ]);
    await page.waitForSelector(finished);
    await assertAccessible(page, "documents");
    await assertNoSideScroll(page, "documents");
    await shot("documents");

    const sessions = await sql`
      select s.is_complete, s.history from chat_sessions s join auth.users u on u.id = s.user_id
      where u.email = ${email} and s.template_id = ${NDA_TEMPLATE_ID} and s.is_complete`;
    assert.equal(sessions.length, 1);
    const stored = (sessions[0]!.history as { role: string; content: string }[])
      .filter((turn) => turn.role === "user").map((turn) => turn.content);
    assert.equal(stored.length, Object.keys(ANSWERS).length + 1, "one invalid email, no dupes");
    assert.ok(!stored.includes(tooLong), "the refused answer was never stored");
    assert.deepEqual(problems, []);
  } catch (error) {
    await page.screenshot({ path: `${ARTIFACTS}/demo-${viewport.name}-failure.png` })
      .catch(() => {});
    console.error([...problems, ...stack.logs()].join("\n"));
    throw error;
  } finally {
    await context.close();
    await stack.stop();
    await sql.end();
  }
}

for (const viewport of [DESKTOP, PHONE]) {
  Deno.test({
    name: `the demo page at ${viewport.width} x ${viewport.height}: a whole interview`,
    // playwright-core keeps its own pipes and timers to the browser process.
    sanitizeOps: false,
    sanitizeResources: false,
    fn: () => interview(viewport),
  });
}
