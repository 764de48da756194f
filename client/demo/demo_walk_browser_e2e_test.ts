// The walk a first-time user takes through the demo page, at desktop and at phone width, with
// every control found by its accessible role and name: natural answers ("next Monday", "3
// years", "twelve months") echoed as understood, typing straight after Enter with nothing lost, a
// draft that survives a reload, a condition toggled and the dependent answer marked "No longer
// needed", an optional question skipped, a wrong edit in the review that stays in the review, a
// two-line answer kept into the HTML download, a superseded tab taken back with one button, two
// NDAs told apart by their parties, a rename, a delete, a discarded draft, and the documents
// view's loading and error states. axe-core on every screen, no violation at any impact.
import assert from "node:assert/strict";
import type { Page, Route } from "playwright-core";
import {
  ARTIFACTS,
  assertAccessible,
  assertNoSideScroll,
  DESKTOP,
  download,
  focused,
  launchBrowser,
  NDA_TEMPLATE_ID as NDA_ID,
  pendingQuestionId,
  PHONE,
  screenshot,
  startDemoStack,
  type Viewport,
  waitForReply,
  watchProblems,
} from "../../test_support/demo_page.ts";

const NDA = "Mutual Non-Disclosure Agreement";
const PURPOSE = ["Evaluating a software licensing partnership.", "Sharing source code samples."];

/** The first Monday after today, in the engine's words ("December 14, 2026"), in UTC. */
function nextMonday(): string {
  const day = new Date();
  const today = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  const ahead = ((8 - new Date(today).getUTCDay()) % 7) || 7;
  return new Date(today + ahead * 86_400_000).toLocaleDateString("en-US", {
    dateStyle: "long",
    timeZone: "UTC",
  });
}

async function check(page: Page, viewport: Viewport, name: string, fullPage = false) {
  await assertAccessible(page, name);
  await assertNoSideScroll(page, name);
  await screenshot(page, viewport, `walk-${name}`, { fullPage });
}

/** The answer box, named by the question it answers. */
const box = (page: Page) => page.locator("#answer");
const userBubble = (page: Page, questionId: string) =>
  page.locator(`#transcript .bubble[data-role="user"][data-question-id="${questionId}"]`);
/** "Understood as ..." under an answer. */
const understoodOf = (page: Page, questionId: string) =>
  userBubble(page, questionId).locator(".understood").textContent();

/** Types and sends: Enter, or the Send button where Enter is a new line (a long answer, phone). */
async function send(page: Page, text: string): Promise<void> {
  await box(page).fill(text);
  if (await box(page).getAttribute("enterkeyhint") === "enter") {
    await page.getByRole("button", { name: "Send", exact: true }).click();
  } else await box(page).press("Enter");
  await waitForReply(page);
}

/** A long answer of two lines: Shift+Enter between them on a desktop, Enter on a phone. */
async function sendTwoLines(page: Page, phone: boolean, [first, second]: string[]) {
  await box(page).fill("");
  await box(page).pressSequentially(first!);
  await box(page).press(phone ? "Enter" : "Shift+Enter");
  await box(page).pressSequentially(second!);
  if (phone) await page.getByRole("button", { name: "Send", exact: true }).click();
  else await box(page).press("Enter");
  await waitForReply(page);
}

/** Changes an earlier answer with the "Change" control named by its question. */
async function change(page: Page, question: RegExp, answer: { option?: string; text?: string }) {
  await page.getByRole("button", { name: question }).click();
  if (answer.option) {
    await page.locator(".editor").getByRole("button", { name: answer.option, exact: true })
      .click();
  } else {
    await page.getByRole("textbox", { name: /^New answer to: / }).fill(answer.text!);
    await page.getByRole("textbox", { name: /^New answer to: / }).press("Enter");
  }
  await waitForReply(page);
}

/** A second NDA, with other parties, answered as briefly as the questions allow. */
async function secondNda(page: Page): Promise<void> {
  const answers: Record<string, string> = {
    party_a_name: "Gamma SA",
    party_a_email: "legal@gamma.example",
    party_b_name: "Delta Inc",
    party_b_email: "legal@delta.example",
    effective_date: "tomorrow",
    purpose: "A joint bid.",
    confidentiality_years: "two years",
    governing_law: "Delaware",
    include_non_solicit: "No",
    additional_terms: "skip",
  };
  for (let asked = 0; await page.locator("#review").isHidden(); asked++) {
    assert.ok(asked < Object.keys(answers).length, "every question answered once");
    await send(page, answers[await pendingQuestionId(page)]!);
  }
  await page.getByRole("button", { name: "Create document" }).click();
  await documentHeading(page).waitFor({ timeout: 15_000 });
}

/** The opened document's own heading (the interview's heading has the same name). */
const documentHeading = (page: Page) =>
  page.getByRole("article").getByRole("heading", { name: NDA, level: 1 });

async function interview(viewport: Viewport): Promise<void> {
  const stack = await startDemoStack();
  const context = await launchBrowser(viewport);
  const page = context.pages()[0] ?? await context.newPage();
  const problems = watchProblems(page);
  const phone = viewport === PHONE;
  try {
    await page.goto(stack.portalUrl);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await check(page, viewport, "sign-in");

    // The documents view while it loads, and when the documents function cannot be reached.
    let mode: "hold" | "fail" = "hold";
    let release = () => {};
    const held = new Promise<void>((resolve) => release = resolve);
    const documentsRoute = async (route: Route) => {
      if (mode === "hold") await held;
      await route.abort();
    };
    await page.route("**/interviews*", documentsRoute);
    await page.getByRole("textbox", { name: "Email" })
      .fill(`walk-${crypto.randomUUID().slice(0, 8)}@example.test`);
    await page.getByRole("textbox", { name: "Email" }).press("Enter");
    await page.getByRole("status").filter({ hasText: "Loading your documents…" }).waitFor();
    await check(page, viewport, "documents-loading");
    mode = "fail";
    release();
    const failure = page.getByRole("alert").filter({ hasText: "Cannot load your documents" });
    await failure.waitFor();
    assert.match(await failure.textContent() ?? "", /cannot be reached/);
    await check(page, viewport, "documents-error");
    await page.unroute("**/interviews*", documentsRoute);
    // The two refused requests said so in the console, as a browser does.
    problems.length = 0;
    await page.getByRole("button", { name: "Try again" }).click();

    // A Start button per template, each named by it.
    const start = page.getByRole("button", { name: `Start ${NDA}` });
    await start.waitFor();
    for (const name of [NDA, "Consulting Services Agreement", "Employment Offer Letter"]) {
      assert.equal(await page.getByRole("button", { name: `Start ${name}` }).count(), 1);
    }
    await check(page, viewport, "documents-new-user", true);
    await start.click();

    // The first question: focus in the answer box, named by it.
    assert.equal(await pendingQuestionId(page), "party_a_name");
    assert.equal((await focused(page)).id, "answer", "focus on the answer box");
    // Enter on an empty box does nothing: no bubble, no message.
    await box(page).press("Enter");
    assert.equal(await page.locator("#transcript .bubble[data-role=user]").count(), 0);
    assert.ok(await page.locator("#answer-error").isHidden(), "nothing to say about nothing");
    await box(page).pressSequentially("Acme Ltd");
    await box(page).press("Enter");
    await waitForReply(page);

    // A refused answer: the question is not asked twice, the reason shows once, and the text
    // is selected in the box, so that typing replaces it.
    assert.equal(await pendingQuestionId(page), "party_a_email");
    await send(page, "legal at acme");
    const emailQuestion = '#transcript .bubble[data-role="assistant"]' +
      '[data-question-id="party_a_email"]';
    assert.equal(await page.locator(emailQuestion).count(), 1, "one question bubble");
    assert.equal(await userBubble(page, "party_a_email").count(), 0, "no bubble left behind");
    assert.equal(await page.getByRole("alert").filter({ hasText: /email/i }).count(), 1);
    assert.deepEqual(
      await page.evaluate(
        `(() => { const box = document.getElementById("answer");
          return [box.selectionStart, box.selectionEnd, box.value.length]; })()`,
      ),
      [0, 13, 13],
      "the refused text is selected",
    );

    // Typing straight after Enter, while the answer is on its way: nothing is lost.
    stack.proxy.hold("server");
    await box(page).pressSequentially("legal@acme.example");
    await box(page).press("Enter");
    await page.keyboard.type("Beta GmbH");
    assert.equal(await box(page).inputValue(), "Beta GmbH", "the box takes the next answer");
    await screenshot(page, viewport, "walk-typing-ahead", { fullPage: false });
    stack.proxy.release();
    await waitForReply(page);
    assert.equal(await pendingQuestionId(page), "party_b_name");
    assert.equal(await box(page).inputValue(), "Beta GmbH", "nothing typed was lost");
    assert.equal(
      await userBubble(page, "party_a_email").locator(".text").textContent(),
      "legal@acme.example",
    );
    await box(page).press("Enter");
    await waitForReply(page);
    await send(page, "contracts@beta.example");

    // A date: the calendar beside the box, and a natural answer.
    assert.equal(await pendingQuestionId(page), "effective_date");
    assert.ok(await page.getByLabel("Pick the date from a calendar").isVisible());
    await send(page, "next Monday");
    assert.equal(await understoodOf(page, "effective_date"), `Understood as ${nextMonday()}`);

    // A long answer on two lines; the hint says which key does what.
    assert.equal(await pendingQuestionId(page), "purpose");
    assert.match(
      await page.locator("#answer-hint").textContent() ?? "",
      phone ? /Enter starts a new line; Send sends/ : /Enter sends; Shift\+Enter starts a new line/,
    );
    // The maximum length is said before sending, as the answer nears it.
    await box(page).fill("x".repeat(4_500));
    assert.equal(await page.locator("#answer-count").textContent(), "4,500 of 5,000 characters");
    await sendTwoLines(page, phone, PURPOSE);
    assert.match(await userBubble(page, "purpose").innerText(), /partnership\.\nSharing source/);

    // A number with its unit, a numeric keyboard; a choice and a yes/no as buttons.
    assert.equal(await pendingQuestionId(page), "confidentiality_years");
    assert.equal(await box(page).getAttribute("inputmode"), "numeric");
    await send(page, "3 years");
    // By keyboard: focus starts on the first option; Tab to the next, Enter picks it.
    assert.equal((await focused(page)).label, "Delaware");
    await page.keyboard.press("Tab");
    assert.equal((await focused(page)).label, "New York");
    await page.keyboard.press("Enter");
    await waitForReply(page);
    assert.equal((await focused(page)).label, "Yes");
    await page.keyboard.press("Enter");
    await waitForReply(page);
    assert.equal(await pendingQuestionId(page), "non_solicit_months");
    await send(page, "twelve months");

    // The optional question: marked, with Skip. A draft typed into it, not sent yet.
    assert.equal(await pendingQuestionId(page), "additional_terms");
    assert.match(await page.locator("#answer-label").textContent() ?? "", /\(optional\)$/);
    const skip = page.getByRole("button", { name: /^Skip: Are there any additional terms/ });
    assert.ok(await skip.isVisible());
    await box(page).pressSequentially("Each party bears");

    // A condition turned off: the dependent answer is no longer needed, and says so.
    await change(page, /^Change your answer to: Should the parties also agree/, { option: "No" });
    assert.equal(await pendingQuestionId(page), "additional_terms");
    assert.match(
      await userBubble(page, "non_solicit_months").textContent() ?? "",
      /No longer needed/,
    );
    await page.reload();
    await page.getByText("Resumed where you left off").waitFor();
    assert.equal(await pendingQuestionId(page), "additional_terms");
    assert.equal(await box(page).inputValue(), "Each party bears", "the draft survived a reload");
    const months = userBubble(page, "non_solicit_months");
    assert.match(await months.textContent() ?? "", /No longer needed/);
    assert.equal(
      await months.getByRole("button").count(),
      0,
      "an answer no longer needed cannot be changed",
    );
    // What was understood, under what was typed.
    assert.equal(await understoodOf(page, "effective_date"), `Understood as ${nextMonday()}`);
    assert.equal(await understoodOf(page, "confidentiality_years"), "Understood as 3");
    await check(page, viewport, "interview");

    // Going offline is told at once, from the browser's own events.
    await context.setOffline(true);
    await page.getByRole("status").filter({ hasText: "You are offline" }).waitFor({
      timeout: 1_000,
    });
    await context.setOffline(false);
    await page.getByRole("status").filter({ hasText: /^Back online|^Connected/ }).waitFor();

    // Another tab takes the interview; this one says so and takes it back with one button.
    const other = await context.newPage();
    await other.goto(`${stack.portalUrl}#/chat/${NDA_ID}`);
    const takeBack = page.getByRole("button", { name: "Continue here" });
    await takeBack.waitFor();
    assert.match(
      await page.locator("#superseded").textContent() ?? "",
      /continued in another tab/,
    );
    assert.equal((await focused(page)).id, "take-over", "focus on Continue here");
    await check(page, viewport, "superseded");
    await takeBack.click();
    await other.getByRole("button", { name: "Continue here" }).waitFor();
    assert.equal(await pendingQuestionId(page), "additional_terms");
    assert.ok(await takeBack.isHidden());
    await other.close();

    // The condition turned on again: the kept answer is back. Then Skip.
    await change(page, /^Change your answer to: Should the parties also agree/, { option: "Yes" });
    const back = userBubble(page, "non_solicit_months");
    assert.doesNotMatch(await back.textContent() ?? "", /No longer needed/, "it applies again");
    assert.equal(await back.locator(".text").textContent(), "twelve months", "its kept value");
    assert.equal(await back.getByRole("button", { name: /^Change/ }).count(), 1);
    await skip.click();
    await page.getByRole("heading", { name: "Review your answers" }).waitFor();

    // The review: skipped, the kept value, the date understood, the two lines, and
    // "Create document" in view.
    const item = (id: string) => page.locator(`#review-answers [data-question-id="${id}"] .text`);
    assert.equal(await item("additional_terms").textContent(), "Skipped");
    assert.equal(await item("non_solicit_months").textContent(), "12");
    assert.equal(await item("effective_date").textContent(), nextMonday());
    assert.equal(await item("purpose").innerText(), PURPOSE.join("\n"));
    const create = page.getByRole("button", { name: "Create document" });
    const inView = async () => {
      const at = await create.boundingBox();
      return at !== null && at.y >= 0 && at.y + at.height <= viewport.height;
    };
    assert.ok(await inView(), "Create document in view as the review opens");
    await check(page, viewport, "review");

    // A wrong edit in the review stays in the review, with the reason inside the editor.
    await page.getByRole("button", { name: /^Change your answer to: For how many years/ })
      .click();
    const editor = page.getByRole("textbox", { name: /^New answer to: For how many years/ });
    await editor.fill("50");
    await editor.press("Enter");
    const refusal = page.locator("#review-answers .editor").getByRole("alert");
    await refusal.waitFor();
    assert.match(await refusal.textContent() ?? "", /10/);
    assert.ok(await editor.isVisible(), "the editor stays open");
    assert.ok(await page.getByRole("heading", { name: "Review your answers" }).isVisible());
    assert.match(
      await page.locator("#progress-text").textContent() ?? "",
      /^Changing question 7 of \d+$/,
    );
    assert.ok(await inView(), "Create document still in view");
    await check(page, viewport, "review-edit-refused");
    await editor.fill("3 years");
    await editor.press("Enter");
    await page.waitForFunction(
      `!document.querySelector("#review-answers .editor") && !document.getElementById("review").hidden`,
    );
    assert.equal(await item("confidentiality_years").textContent(), "3");

    // The document; the HTML download keeps the two lines and is named by the parties.
    await create.click();
    await documentHeading(page).waitFor({ timeout: 15_000 });
    await check(page, viewport, "document", true);
    const html = await download(page, '#document-downloads [data-format="html"]');
    assert.equal(html.name, "NDA - Acme Ltd and Beta GmbH.html");
    const markup = new TextDecoder().decode(html.bytes);
    assert.match(
      markup,
      /partnership\.\s*(<br\s*\/?>|<\/p>\s*<p>|<\/li>\s*<li>)\s*Sharing source code samples\./,
      "the two lines stay two lines",
    );

    // A second NDA with other parties: two cards told apart by their titles.
    await page.getByRole("button", { name: "All documents" }).first().click();
    await page.getByRole("button", { name: `New draft of ${NDA}` }).click();
    await secondNda(page);
    await page.getByRole("button", { name: "All documents" }).first().click();
    const first = page.getByRole("link", { name: "NDA: Acme Ltd and Beta GmbH" });
    const second = page.getByRole("link", { name: "NDA: Gamma SA and Delta Inc" });
    await second.waitFor();
    assert.ok(await first.isVisible());
    await check(page, viewport, "documents", true);

    // Rename the second; delete it, after the dialog asks.
    await page.getByRole("button", { name: "Rename NDA: Gamma SA and Delta Inc" })
      .click();
    const title = page.getByRole("textbox", {
      name: "New title for NDA: Gamma SA and Delta Inc",
    });
    await title.fill(" ");
    await title.press("Enter");
    assert.equal(
      await page.locator(".rename").getByRole("alert").textContent(),
      "Please type a title.",
    );
    await title.fill("NDA with Delta");
    await title.press("Enter");
    await page.getByRole("link", { name: "NDA with Delta" }).waitFor();
    await page.getByRole("button", { name: "Delete NDA with Delta" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this document?" });
    await dialog.waitFor();
    await check(page, viewport, "delete-dialog");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("link", { name: "NDA with Delta" }).waitFor({ state: "detached" });
    assert.ok(await first.isVisible(), "the other NDA stays");

    // A draft, then discarded after the dialog asks.
    await page.getByRole("button", { name: `New draft of ${NDA}` }).click();
    assert.equal(await pendingQuestionId(page), "party_a_name");
    await send(page, "Epsilon AG");
    await page.getByRole("button", { name: "All documents" }).first().click();

    // A second draft beside it; then the first, continued from its own card, with its answer.
    await page.getByRole("button", { name: `New draft of ${NDA}` }).click();
    assert.equal(await pendingQuestionId(page), "party_a_name", "a new draft starts at the start");
    await send(page, "Zeta BV");
    await page.getByRole("button", { name: "All documents" }).first().click();
    const draftItems = page.getByRole("list", { name: `Drafts of ${NDA}` }).getByRole("listitem");
    await page.waitForFunction(`document.querySelectorAll("ul.drafts > li").length === 2`);
    // Newest first: Zeta's draft, then Epsilon's.
    await draftItems.nth(1).getByRole("button", { name: `Continue ${NDA}` }).click();
    // The resumed history comes first, then the next question: wait for that question itself.
    await page.locator(
      '#transcript .bubble[data-role="assistant"][data-question-id="party_a_email"]',
    )
      .waitFor();
    await page.getByText("Epsilon AG", { exact: true }).waitFor();
    await page.getByRole("button", { name: "All documents" }).first().click();
    await draftItems.first().getByRole("button", { name: `Discard the draft ${NDA}` }).click();
    await page.getByRole("dialog", { name: "Discard this draft?" })
      .getByRole("button", { name: "Discard" }).click();
    await page.waitForFunction(`document.querySelectorAll("ul.drafts > li").length === 1`);

    const discard = page.getByRole("button", { name: `Discard the draft ${NDA}` });
    await discard.waitFor();
    assert.ok(await page.getByRole("button", { name: `Continue ${NDA}` }).isVisible());
    await discard.click();
    const discardDialog = page.getByRole("dialog", { name: "Discard this draft?" });
    await discardDialog.getByRole("button", { name: "Discard" }).click();
    await discard.waitFor({ state: "detached" });
    await page.getByRole("button", { name: `New draft of ${NDA}` }).waitFor();
    assert.deepEqual(problems, []);
  } catch (error) {
    await page.screenshot({ path: `${ARTIFACTS}/demo-${viewport.name}-walk-failure.png` })
      .catch(() => {});
    console.error([...problems, ...stack.logs()].join("\n"));
    throw error;
  } finally {
    await context.close();
    await stack.stop();
  }
}

for (const viewport of [DESKTOP, PHONE]) {
  Deno.test({
    name: `the demo page walk at ${viewport.width} x ${viewport.height}: nothing to trip over`,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: () => interview(viewport),
  });
}
