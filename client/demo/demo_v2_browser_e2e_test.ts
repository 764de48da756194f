// Browser end-to-end on protocol v2, at desktop and at phone width: a new user signs in, answers
// the seeded mutual NDA with the buttons for choices and yes/no, sees "Question n of N" and its
// progress bar, has a wrong email asked again with the reason beside the kept text, changes an
// earlier answer in place, reviews the preview, changes an answer from the review, creates the
// document, downloads it as DOCX and PDF (read back with mammoth and pdftotext), and finds it
// again in the documents view. axe-core checks the interview, review and document views.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
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

const TYPED: Record<string, string> = {
  party_a_name: "Acme Robotics, Inc.",
  party_a_email: "legal@acme.example",
  party_b_name: "Blue Harbor Analytics LLC",
  party_b_email: "contracts@blueharbor.example",
  effective_date: "2026-03-01",
  purpose: "Evaluating a possible software licensing partnership.",
  confidentiality_years: "3",
  non_solicit_months: "12",
  additional_terms: "Each party bears its own costs.",
};
const EDITED_NAME = "Acme Robotics Holdings, Inc.";

async function progress(page: Page) {
  return {
    text: await page.textContent("#progress-text"),
    now: Number(await page.getAttribute("#progress-bar", "aria-valuenow")),
    max: Number(await page.getAttribute("#progress-bar", "aria-valuemax")),
  };
}

async function reviewAnswer(page: Page, questionId: string): Promise<string> {
  return await page.textContent(`#review-answers [data-question-id="${questionId}"] .text`) ?? "";
}

async function interview(viewport: Viewport): Promise<void> {
  const stack = await startDemoStack();
  const context = await launchBrowser(viewport);
  const page = context.pages()[0] ?? await context.newPage();
  const problems = watchProblems(page);
  const shot = (name: string, options?: { fullPage: boolean }) =>
    screenshot(page, viewport, `v2-${name}`, options);
  try {
    await page.goto(stack.portalUrl);
    await signIn(page, `browser-v2-${crypto.randomUUID().slice(0, 8)}@example.test`);
    await page.click(`#template-list [data-template-id="${NDA_TEMPLATE_ID}"] button`);

    // "Question 1 of N" and a progress bar that says the same.
    assert.equal(await pendingQuestionId(page), "party_a_name");
    const start = await progress(page);
    assert.match(start.text ?? "", /^Question 1 of \d+$/);
    assert.equal(start.now, 0);
    assert.equal(start.max, Number(start.text!.split(" ").at(-1)));
    await answer(page, TYPED.party_a_name!);
    assert.equal((await progress(page)).text, `Question 2 of ${start.max}`);
    assert.equal((await progress(page)).now, 1);

    // A wrong email comes back with the reason beside the text, which stays in the box.
    await answer(page, "not-an-email");
    assert.equal(await pendingQuestionId(page), "party_a_email", "asked again");
    assert.equal(await page.inputValue("#answer"), "not-an-email", "the text is kept");
    assert.match(await page.textContent("#answer-error") ?? "", /email/i);
    await answer(page, TYPED.party_a_email!);
    assert.equal(await page.inputValue("#answer"), "");
    await answer(page, TYPED.party_b_name!);

    // Change an earlier answer in place: the pending question stays where it was.
    assert.equal(await pendingQuestionId(page), "party_b_email");
    const asked = await page.locator('#transcript .bubble[data-role="assistant"]').count();
    const nameBubble = '#transcript .bubble[data-role="user"][data-question-id="party_a_name"]';
    await page.click(`${nameBubble} .edit`);
    assert.match((await focused(page)).label, /^New answer to: /);
    await page.keyboard.press("Escape");
    assert.equal(await page.locator(`${nameBubble} textarea`).count(), 0, "Escape cancels");
    await page.click(`${nameBubble} .edit`);
    await page.fill(`${nameBubble} textarea`, EDITED_NAME);
    await shot("edit-in-place", { fullPage: false });
    await page.press(`${nameBubble} textarea`, "Enter");
    await waitForReply(page);
    assert.equal(await page.textContent(`${nameBubble} .text`), EDITED_NAME);
    assert.equal(await pendingQuestionId(page), "party_b_email");
    assert.equal(
      await page.locator('#transcript .bubble[data-role="assistant"]').count(),
      asked,
      "the pending question is not asked twice",
    );
    // A reload shows the changed answer, and the pending question once.
    await page.reload();
    await page.waitForSelector("#transcript .bubble[data-role=notice]");
    assert.equal(await pendingQuestionId(page), "party_b_email");
    assert.equal(await page.textContent(`${nameBubble} .text`), EDITED_NAME);
    assert.equal(await page.locator('#transcript .bubble[data-role="assistant"]').count(), asked);
    assert.equal(await page.locator(`${nameBubble} .edit`).count(), 1, "still changeable");

    for (const id of ["party_b_email", "effective_date", "purpose", "confidentiality_years"]) {
      assert.equal(await pendingQuestionId(page), id);
      await answer(page, TYPED[id]!);
    }

    // A choice: one button per option, focus on the first, reached and pressed by keyboard.
    assert.equal(await pendingQuestionId(page), "governing_law");
    assert.deepEqual(await page.locator("#choices button").allTextContents(), [
      "Delaware",
      "New York",
      "California",
      "England and Wales",
    ]);
    assert.equal((await focused(page)).label, "Delaware", "focus on the first choice");
    await assertAccessible(page, "interview");
    await assertNoSideScroll(page, "interview");
    await shot("choice", { fullPage: false });
    await page.keyboard.press("Tab");
    assert.equal((await focused(page)).label, "New York");
    await page.keyboard.press("Enter");
    await waitForReply(page);

    // Yes/no as buttons; "Yes" makes one more question apply.
    assert.equal(await pendingQuestionId(page), "include_non_solicit");
    assert.deepEqual(await page.locator("#choices button").allTextContents(), ["Yes", "No"]);
    await page.click('#choices button:text("Yes")');
    await waitForReply(page);
    assert.equal(await pendingQuestionId(page), "non_solicit_months");
    await answer(page, TYPED.non_solicit_months!);
    assert.equal(await pendingQuestionId(page), "additional_terms");
    await answer(page, TYPED.additional_terms!);

    // The review: focus on its heading, every answer, the preview, a change from the review.
    await page.waitForSelector("#review:not([hidden])");
    assert.equal((await focused(page)).id, "review-heading");
    assert.equal(await reviewAnswer(page, "party_a_name"), EDITED_NAME);
    assert.equal(await reviewAnswer(page, "governing_law"), "New York");
    assert.match(await page.textContent("#review-document") ?? "", /Acme Robotics Holdings/);
    await assertAccessible(page, "review");
    await assertNoSideScroll(page, "review");
    await shot("review", { fullPage: false });
    await shot("review-full");
    // The editor of a choice offers the choices as buttons too.
    const law = '#review-answers [data-question-id="governing_law"]';
    await page.click(`${law} .edit`);
    assert.deepEqual(await page.locator(`${law} .editor .choice`).allTextContents(), [
      "Delaware",
      "New York",
      "California",
      "England and Wales",
    ]);
    await shot("review-edit", { fullPage: false });
    await page.click(`${law} .editor .choice:text("California")`);
    await page.waitForFunction(
      `document.querySelector('#review-answers [data-question-id="governing_law"] .text')
        ?.textContent === "California"`,
    );
    assert.match(await page.textContent("#review-document") ?? "", /California/);

    // Create the document: it opens at the top, its heading focused.
    await page.click("#confirm");
    await page.waitForSelector("#document-body h1", { timeout: 15_000 });
    const documentId = page.url().split("/").at(-1)!;
    assert.match(documentId, /^[0-9a-f-]{36}$/);
    assert.equal((await focused(page)).label, "Mutual Non-Disclosure Agreement");
    assert.equal(await page.evaluate("window.scrollY"), 0);
    const text = await page.textContent("#document-body") ?? "";
    for (const expected of [EDITED_NAME, "California", TYPED.party_b_name!]) {
      assert.ok(text.includes(expected), `the document says "${expected}"`);
    }
    await assertAccessible(page, "document");
    await assertNoSideScroll(page, "document");
    await shot("document");

    // Downloads as DOCX and PDF, read back with independent readers.
    const docx = await download(page, '#document-downloads [data-format="docx"]');
    assert.match(docx.name, /\.docx$/);
    const docxText = (await readDocx(docx.bytes)).text;
    const pdf = await download(page, '#document-downloads [data-format="pdf"]');
    assert.match(pdf.name, /\.pdf$/);
    const pdfText = squash((await readPdf(pdf.bytes)).text);
    for (
      const expected of [
        EDITED_NAME,
        TYPED.party_a_email!,
        TYPED.party_b_name!,
        TYPED.party_b_email!,
        "California",
      ]
    ) {
      assert.ok(docxText.includes(expected), `the DOCX says "${expected}"`);
      assert.ok(pdfText.includes(squash(expected)), `the PDF says "${expected}"`);
    }

    // And it is in the documents view, finished.
    await page.click("#document-back");
    const card = `#finished-list [data-document-id="${documentId}"]`;
    await page.waitForSelector(card);
    assert.match(await page.textContent(card) ?? "", /Finished/);
    await shot("documents");
    assert.deepEqual(problems, []);
  } catch (error) {
    await page.screenshot({ path: `${ARTIFACTS}/demo-${viewport.name}-v2-failure.png` })
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
    name: `the demo page on v2 at ${viewport.width} x ${viewport.height}: edit, review, create`,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: () => interview(viewport),
  });
}
