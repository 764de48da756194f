// The review (v2): every answer with its own "Change" control, the document preview rendered as
// the final document will be, and "Create document" in a footer that stays in view. While it
// shows, the conversation steps aside. A skipped answer reads "Skipped"; an answer whose question
// no longer applies is not part of the review.
import { documentToHtml } from "../../supabase/functions/_shared/document/markdown_html.ts";
import { $, el, setMessage, wrapTables } from "./dom.js";

/** Shows the review; `onChange(questionId, item, button)` opens the editor on an answer. */
export function showReview({ answers, document }, { onChange }) {
  $("transcript").hidden = true;
  $("chat").dataset.mode = "review";
  $("answer-form").hidden = true;
  $("review").hidden = false;
  $("confirm").disabled = false;
  setMessage($("review-error"), "");
  $("review-answers").replaceChildren(
    ...answers.filter((answer) => answer.applies !== false).map((answer) =>
      reviewItem(answer, onChange)
    ),
  );
  const preview = $("review-document");
  preview.innerHTML = documentToHtml(document);
  wrapTables(preview);
  // The document's own headings sit below the review's heading.
  for (const heading of preview.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const level = Math.min(6, Number(heading.tagName[1]) + 3);
    const replacement = el("p", {
      class: `heading h${heading.tagName[1]}`,
      role: "heading",
      "aria-level": level,
    });
    replacement.append(...heading.childNodes);
    heading.replaceWith(replacement);
  }
  $("review-heading").focus();
}

/** Back to the conversation (a question was asked, after an edit from the review). */
export function hideReview() {
  $("review").hidden = true;
  delete $("chat").dataset.mode;
  $("transcript").hidden = false;
  $("answer-form").hidden = false;
}

/** A refused confirm or edit in review: the reason, and "Create document" available again. */
export function showReviewError(message) {
  $("confirm").disabled = false;
  setMessage($("review-error"), message);
}

export const SKIPPED = "Skipped";

function reviewItem({ questionId, question, answer, skipped }, onChange) {
  const blank = skipped === true || answer === "";
  const item = el(
    "li",
    { "data-question-id": questionId, "data-answer": answer },
    el("span", { class: "question", text: question }),
    el("span", { class: blank ? "text skipped" : "text", text: blank ? SKIPPED : answer }),
  );
  const button = el("button", {
    type: "button",
    class: "edit link",
    text: "Change",
    "aria-label": `Change your answer to: ${question}`,
    onclick: () => onChange(questionId, item, button),
  });
  item.append(button);
  return item;
}
