// The answer box under the conversation: the text box (multi-line for long answers), a date
// picker beside it for dates, buttons for choices and yes/no, Skip for an optional question, the
// hint with the keys, and a counter as the answer nears its maximum length. The box is never
// read-only: what is typed while an answer is on its way stays for the next question, and a draft
// of the current answer is kept in localStorage per session and question, so a reload keeps it.
import { LIMITS } from "../../supabase/functions/_shared/wire/constants.ts";
import { $, el, onPhone, setMessage } from "./dom.js";

/** The answer that skips an optional question (the template engine's skip word). */
export const SKIP_ANSWER = "skip";
/** The counter shows from this share of the maximum length on. */
const COUNTER_FROM = 0.8;
const NUMBER = new Intl.NumberFormat("en-US");
const draftKey = (sessionId, questionId) => `demo.draft.${sessionId}.${questionId}`;

/** The keys, said in the hint: they differ for a long answer on a phone. */
function keysHint(question) {
  if (question?.type !== "long_text") return "";
  return onPhone()
    ? "Enter starts a new line; Send sends your answer."
    : "Enter sends; Shift+Enter starts a new line.";
}

export class AnswerBox {
  /** The question the box answers (null before the first, and in review). */
  #question = null;
  #sessionId = "";
  /** An answer is on its way: what is typed now is for the next question, not this one's draft. */
  #awaiting = false;
  #onSubmit;

  /** `onSubmit(text)` is called with the box's text by Enter, Send, a choice or Skip. */
  constructor({ onSubmit }) {
    this.#onSubmit = onSubmit;
    const box = $("answer");
    box.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
      if (this.#question?.type === "long_text" && onPhone()) return; // a new line
      event.preventDefault();
      $("answer-form").requestSubmit();
    });
    box.addEventListener("input", () => {
      this.#saveDraft();
      this.#count();
    });
    $("answer-date").addEventListener("change", () => {
      if (!$("answer-date").value) return;
      box.value = $("answer-date").value;
      this.#saveDraft();
      box.focus();
    });
    $("skip").addEventListener("click", () => this.#onSubmit(SKIP_ANSWER));
  }

  get value() {
    return $("answer").value;
  }

  /** Shows `question` (null: none); the draft kept for it comes back into an empty box. */
  setQuestion(question, sessionId) {
    this.#question = question;
    this.#sessionId = sessionId ?? this.#sessionId;
    const optional = question?.required === false;
    $("answer-label").textContent = question
      ? `${question.text}${optional ? " (optional)" : ""}`
      : "Answer";
    const hint = [question?.hint, keysHint(question)].filter(Boolean).join(" ");
    setMessage($("answer-hint"), hint);
    const choices = $("choices");
    const options = question?.options ?? [];
    choices.replaceChildren(...options.map((option) =>
      el("button", {
        type: "button",
        class: "choice",
        text: option,
        onclick: () => this.#onSubmit(option),
      })
    ));
    choices.hidden = options.length === 0;
    $("skip").hidden = !optional;
    $("skip").setAttribute("aria-label", question ? `Skip: ${question.text}` : "Skip");
    $("answer-date").hidden = question?.type !== "date";
    $("answer-date").value = "";
    const box = $("answer");
    box.inputMode = { number: "numeric", amount: "decimal", email: "email" }[question?.type] ??
      "text";
    box.rows = question?.type === "long_text" ? 4 : 1;
    box.classList.toggle("long", question?.type === "long_text");
    box.enterKeyHint = question?.type === "long_text" && onPhone() ? "enter" : "send";
    this.#awaiting = false;
    if (question && !box.value) box.value = this.#draft() ?? "";
    else this.#saveDraft(); // typed while the last answer was on its way
    this.#count();
  }

  /** After sending: the box empties for what comes next, and the draft is done with. */
  sent(questionId) {
    localStorage.removeItem(draftKey(this.#sessionId, questionId));
    this.#awaiting = true;
    $("answer").value = "";
    this.#count();
  }

  /** A refused answer back in the box, selected, so that typing replaces it. */
  putBack(text) {
    this.#awaiting = false;
    const box = $("answer");
    if (box.value.trim() && box.value !== text) return box.focus(); // typed since: keep that
    box.value = text;
    this.#saveDraft();
    this.#count();
    box.focus({ preventScroll: true });
    box.select();
  }

  /** The box, the buttons and Skip usable (the connection is open and a question stands). */
  enable(enabled) {
    for (const control of [$("answer"), $("send"), $("skip"), $("answer-date")]) {
      control.disabled = !enabled;
    }
    for (const button of $("choices").querySelectorAll("button")) button.disabled = !enabled;
  }

  /** The first choice when there are choices, else the text box: where a new question starts. */
  focusTarget() {
    const first = $("choices").hidden ? null : $("choices").querySelector("button");
    return first ?? $("answer");
  }

  #draft() {
    if (!this.#sessionId || !this.#question) return null;
    return localStorage.getItem(draftKey(this.#sessionId, this.#question.id));
  }

  #saveDraft() {
    if (!this.#sessionId || !this.#question || this.#awaiting) return;
    const key = draftKey(this.#sessionId, this.#question.id);
    if ($("answer").value) localStorage.setItem(key, $("answer").value);
    else localStorage.removeItem(key);
  }

  /** "4,100 of 5,000 characters" once the answer nears its maximum; over it, by how much. */
  #count() {
    const max = this.#question?.maxLength ?? LIMITS.maxAnswerChars;
    const length = [...$("answer").value].length;
    const counter = $("answer-count");
    counter.classList.toggle("over", length > max);
    if (length > max) {
      counter.textContent = `${NUMBER.format(length)} characters: ${
        NUMBER.format(length - max)
      } over the limit of ${NUMBER.format(max)}`;
    } else if (length >= max * COUNTER_FROM) {
      counter.textContent = `${NUMBER.format(length)} of ${NUMBER.format(max)} characters`;
    } else counter.textContent = "";
    counter.hidden = counter.textContent === "";
  }
}
