// The interview view: the conversation, the answer box (with buttons for choices), progress,
// editing earlier answers in place, and the review with the document preview. The ChatClient
// owns the socket; this file renders its events and keeps what the user typed until the server
// acknowledges it with the next question (or the review), so a refused answer is never lost.
import { ChatClient } from "../chat_client.ts";
import { documentToHtml } from "../../supabase/functions/_shared/document/markdown_html.ts";
import { config, currentToken, fetchToken } from "./api.js";
import { $, el, setMessage, wrapTables } from "./dom.js";

const EMPTY_ANSWER = "Please type an answer before sending: spaces alone are not an answer.";
/** Error codes after which the answer is stored: only the next question is missing. */
const STORED_ANYWAY = new Set(["ai_unavailable", "ai_rejected"]);
const CLOSED_MESSAGES = {
  1000: "Interview complete",
  1008: "Disconnected: too many or invalid messages",
  4500: "Signed out: please sign in again",
  4504: "This document is not available",
  4509: "Continued in another tab or device",
};
// The session last seen per template, so that a reload right after the last answer still learns
// that the interview completed (ChatClient's sessionId option).
const sessionKey = (templateId) => `demo.session.${templateId}`;

export function forgetSession(templateId) {
  sessionStorage.removeItem(sessionKey(templateId));
}

/**
 * One interview on screen. `onComplete(documentId)` is called once the document is stored.
 */
export class ChatView {
  #client;
  #templateId;
  #onComplete;
  /** The pending question, as last received, with its progress and problem. */
  #question = null;
  /** What was sent and not yet acknowledged: { kind: "answer" | "edit", questionId, text, bubble }. */
  #sent = null;
  /** The open inline editor: { questionId, form, textarea, error }. */
  #editor = null;
  #v2 = false;
  #inReview = false;
  /** The bubble of the current answer to each question. */
  #answerBubbles = new Map();
  /** Each question as last asked (v2: with its type and options), for editing its answer. */
  #questions = new Map();

  constructor({ templateId, title, restart = false, onComplete }) {
    this.#templateId = templateId;
    this.#onComplete = onComplete;
    $("chat-title").textContent = title;
    $("transcript").replaceChildren();
    $("review").hidden = true;
    delete $("chat").dataset.mode;
    $("transcript").hidden = false;
    $("answer-form").hidden = false;
    $("progress").hidden = true;
    $("answer").value = "";
    this.#setWaiting("");
    this.#hideErrors();
    this.#setQuestion(null);

    this.#client = new ChatClient({
      url: config.chatUrl,
      templateId,
      protocol: "v2",
      restart,
      sessionId: restart ? undefined : sessionStorage.getItem(sessionKey(templateId)) ?? undefined,
      getToken: (reason) => reason === "connect" && currentToken() ? currentToken() : fetchToken(),
      ...(config.heartbeatIntervalMs ? { heartbeatIntervalMs: config.heartbeatIntervalMs } : {}),
      ...(config.heartbeatTimeoutMs ? { heartbeatTimeoutMs: config.heartbeatTimeoutMs } : {}),
    });
    const client = this.#client;
    const keep = ({ sessionId }) => sessionStorage.setItem(sessionKey(templateId), sessionId);
    client.on("state", (detail) => this.#renderState(detail));
    client.on("resumed", (detail) => {
      keep(detail);
      this.#renderResumed(detail);
    });
    client.on("question", (detail) => {
      keep(detail);
      this.#renderQuestion(detail);
    });
    client.on("review", (detail) => this.#renderReview(detail));
    client.on("error", (detail) => this.#renderError(detail));
    client.on("complete", ({ documentId }) => {
      forgetSession(templateId);
      this.close();
      this.#onComplete(documentId);
    });
    this.#setWaiting("Waiting for the first question…");
    client.connect();
  }

  get templateId() {
    return this.#templateId;
  }

  close() {
    this.#client.close();
  }

  /** The answer box's submit: Enter or the Send button. */
  submitAnswer(text) {
    const content = text.trim();
    if (this.#sent || !this.#question) return;
    if (!content) {
      setMessage($("answer-error"), EMPTY_ANSWER);
      return $("answer").focus();
    }
    setMessage($("answer-error"), "");
    try {
      this.#client.answer(content, { questionId: this.#question.id });
    } catch (error) {
      return setMessage($("answer-error"), error.message);
    }
    const bubble = this.#addBubble("user", content, { questionId: this.#question.id });
    bubble.classList.add("pending");
    this.#sent = { kind: "answer", questionId: this.#question.id, text: content, bubble };
    this.#lockInput(true);
    this.#setWaiting("Waiting for the next question…");
  }

  retry() {
    this.#client.retry();
  }

  confirm() {
    setMessage($("review-error"), "");
    try {
      this.#client.confirm();
    } catch (error) {
      return setMessage($("review-error"), error.message);
    }
    $("confirm").disabled = true;
    this.#setWaiting("Creating your document…");
  }

  #renderState({ state, code, delayMs, attempt }) {
    const status = $("status");
    status.dataset.state = state;
    if (state === "connecting") status.textContent = "Connecting…";
    if (state === "open") status.textContent = "Connected";
    if (state === "reconnecting") {
      status.textContent = `Connection lost. Reconnecting in ${
        Math.max(1, Math.ceil(delayMs / 1000))
      } s (attempt ${attempt})…`;
    }
    if (state === "closed") {
      status.textContent = CLOSED_MESSAGES[code] ?? `Connection closed (${code})`;
      if (code !== 1000) this.#setWaiting("");
      $("answer").disabled = $("send").disabled = true;
      for (const button of $("choices").querySelectorAll("button")) button.disabled = true;
    }
  }

  #renderResumed({ history, answers }) {
    this.#answerBubbles.clear();
    $("transcript").replaceChildren();
    for (const turn of history) {
      if (turn.role === "assistant") {
        this.#addQuestionBubble(turn.questionId, turn.content, turn);
        this.#questions.set(turn.questionId, {
          ...turn.details,
          id: turn.questionId,
          text: turn.content,
        });
      } else if (turn.edit && this.#answerBubbles.has(turn.questionId)) {
        this.#setBubbleText(this.#answerBubbles.get(turn.questionId), turn.content, true);
      } else this.#addBubble("user", turn.content, { questionId: turn.questionId });
    }
    // The bubbles show what was typed; `answers` holds the values as the engine keeps them
    // ("March 1, 2026" for "2026-03-01"), which the review shows.
    if (answers?.length > 0) this.#v2 = true;
    this.#addBubble("notice", "Resumed where you left off");
    const pending = this.#client.pendingAnswer;
    if (pending) {
      const bubble = this.#addBubble("user", pending.content);
      bubble.classList.add("pending");
      const questionId = this.#client.question?.id ?? "";
      this.#sent = { kind: "answer", questionId, text: pending.content, bubble };
      $("answer").value = pending.content;
      this.#lockInput(true);
    }
    this.#refreshEditControls();
  }

  #renderQuestion({ question, progress, problem }) {
    if (question.type) this.#v2 = true;
    if (this.#sent && this.#client.pending) {
      // Asked again after a reconnect, before the answer on its way was acknowledged.
      this.#question = question;
      if (progress) this.#setProgress(progress);
      return;
    }
    this.#setWaiting("");
    $("chat-error").hidden = true;
    this.#leaveReview();
    const sent = this.#sent;
    this.#sent = null;
    const refused = sent && problem && question.id === sent.questionId;
    if (sent?.kind === "edit") {
      this.#closeEditor();
      if (!refused) this.#setBubbleText(this.#answerBubbles.get(sent.questionId), sent.text, true);
    } else if (sent) {
      sent.bubble.classList.remove("pending");
      if (refused) sent.bubble.classList.add("refused");
    }
    this.#addQuestionBubble(question.id, question.text, { problem });
    this.#questions.set(question.id, question);
    this.#setQuestion(question, progress);
    // The answer box keeps a refused answer (to correct it) and clears once one is accepted.
    if (refused) $("answer").value = sent.text;
    else if (sent) $("answer").value = "";
    setMessage($("answer-error"), problem ?? "");
    this.#lockInput(false);
    this.#refreshEditControls();
    this.#focusQuestion();
  }

  #renderReview({ answers, document }) {
    this.#v2 = true;
    this.#setWaiting("");
    const sent = this.#sent;
    this.#sent = null;
    if (sent?.kind === "edit") {
      this.#closeEditor();
      this.#setBubbleText(this.#answerBubbles.get(sent.questionId), sent.text, true);
    } else if (sent) {
      sent.bubble.classList.remove("pending");
      $("answer").value = "";
    }
    this.#question = null;
    this.#inReview = true;
    // The review lists every answer with its own control: the conversation steps aside.
    $("transcript").hidden = true;
    $("chat").dataset.mode = "review";
    $("answer-form").hidden = true;
    $("review").hidden = false;
    $("confirm").disabled = false;
    setMessage($("review-error"), "");
    this.#setProgress(
      { answered: answers.length, total: answers.length },
      "All questions answered",
    );
    $("review-answers").replaceChildren(...answers.map((answer) => this.#reviewItem(answer)));
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
    this.#refreshEditControls();
    $("review-heading").focus();
  }

  #renderError({ message, code, retryable, source }) {
    this.#setWaiting("");
    const sent = this.#sent;
    if (source === "server" && sent && !STORED_ANYWAY.has(code)) {
      // Refused before it was stored: the text stays where it was typed, with the reason.
      this.#sent = null;
      if (sent.kind === "edit" && this.#editor) {
        this.#editor.textarea.readOnly = false;
        setMessage(this.#editor.error, message);
        return this.#editor.textarea.focus();
      }
      if (sent.kind === "answer") {
        sent.bubble.remove();
        $("answer").value = sent.text;
        this.#lockInput(false);
        setMessage($("answer-error"), message);
        return $("answer").focus();
      }
    }
    if (sent) {
      this.#sent = null;
      sent.bubble?.classList.remove("pending");
      if (sent.kind === "answer") $("answer").value = "";
    }
    if (this.#inReview) {
      $("confirm").disabled = false;
      return setMessage($("review-error"), message);
    }
    $("chat-error-text").textContent = message;
    $("retry").hidden = !(retryable && source === "server");
    $("chat-error").hidden = false;
    this.#lockInput(false);
  }

  /** An assistant bubble, unless it repeats the question right above it (after an edit). */
  #addQuestionBubble(questionId, text, { problem } = {}) {
    const last = [...$("transcript").children].filter((item) => item.dataset.role !== "notice")
      .at(-1);
    let bubble = last;
    if (last?.dataset.role !== "assistant" || last.dataset.questionId !== questionId) {
      bubble = this.#addBubble("assistant", text, { questionId });
    }
    bubble.querySelector(".problem")?.remove();
    if (problem) bubble.append(el("span", { class: "problem", text: problem }));
    return bubble;
  }

  #addBubble(role, text, { questionId } = {}) {
    const who = { assistant: "Question: ", user: "You answered: ", notice: "" }[role];
    const item = el(
      "li",
      { class: "bubble", "data-role": role, "data-question-id": questionId },
      who ? el("span", { class: "visually-hidden", text: who }) : null,
      el("span", { class: "text", text }),
    );
    $("transcript").append(item);
    if (role === "user" && questionId) this.#answerBubbles.set(questionId, item);
    item.scrollIntoView({ block: "nearest" });
    return item;
  }

  #setBubbleText(bubble, text, edited) {
    if (!bubble) return;
    bubble.querySelector(".text").textContent = text;
    if (edited && !bubble.querySelector(".edited")) {
      bubble.querySelector(".text").after(el("span", { class: "edited", text: " (changed)" }));
    }
  }

  /** v2: a "Change" control on every earlier answer, unless an answer is on its way. */
  #refreshEditControls() {
    const editable = this.#v2 && typeof this.#client.edit === "function";
    // Only the current answer to a question can be changed, not one it replaced or refused.
    const current = new Set(this.#answerBubbles.values());
    for (const button of $("transcript").querySelectorAll(".bubble .edit")) {
      if (!current.has(button.closest(".bubble"))) button.remove();
    }
    for (const [questionId, bubble] of this.#answerBubbles) {
      if (!bubble.isConnected) continue;
      let button = bubble.querySelector(".edit");
      if (!editable) {
        button?.remove();
        continue;
      }
      if (!button) {
        const question = this.#questionTextOf(questionId);
        button = el("button", {
          type: "button",
          class: "edit link",
          text: "Change",
          "aria-label": `Change your answer to: ${question}`,
          onclick: () => this.#openEditor(questionId, bubble, button),
        });
        bubble.append(button);
      }
    }
  }

  #questionTextOf(questionId) {
    const bubbles = $("transcript").querySelectorAll(
      `.bubble[data-role="assistant"][data-question-id="${CSS.escape(questionId)}"]`,
    );
    return bubbles[bubbles.length - 1]?.querySelector(".text").textContent ?? questionId;
  }

  /** Opens an editor in place of an answer (a bubble or a review item). */
  #openEditor(questionId, host, opener) {
    if (this.#editor) this.#closeEditor();
    const current = host.querySelector(".text").textContent;
    const question = this.#questionTextOf(questionId);
    const id = `edit-${questionId}`;
    const textarea = el("textarea", { id, rows: 2, value: current });
    const error = el("p", { class: "error", role: "alert", hidden: true });
    const save = () => this.#saveEdit(questionId, textarea.value);
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        save();
      }
    });
    const options = this.#questions.get(questionId)?.options ?? [];
    const labelId = `${id}-label`;
    const form = el(
      "form",
      {
        class: "editor",
        onsubmit: (event) => {
          event.preventDefault();
          save();
        },
        onkeydown: (event) => {
          if (event.key !== "Escape") return;
          event.preventDefault();
          this.#closeEditor();
        },
      },
      el("label", { for: id, id: labelId, text: `New answer to: ${question}` }),
      options.length > 0
        ? el(
          "div",
          { class: "choices", role: "group", "aria-labelledby": labelId },
          ...options.map((option) =>
            el("button", {
              type: "button",
              class: "choice",
              text: option,
              onclick: () => this.#saveEdit(questionId, option),
            })
          ),
        )
        : null,
      textarea,
      el(
        "div",
        { class: "editor-actions" },
        el("button", { type: "submit", text: "Save" }),
        el("button", {
          type: "button",
          class: "secondary",
          text: "Cancel",
          onclick: () => this.#closeEditor(),
        }),
      ),
      error,
    );
    host.classList.add("editing");
    host.append(form);
    this.#editor = { questionId, host, form, textarea, error, opener };
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  #saveEdit(questionId, text) {
    const editor = this.#editor;
    if (!editor || this.#sent) return;
    const content = text.trim();
    if (!content) {
      setMessage(editor.error, EMPTY_ANSWER);
      return editor.textarea.focus();
    }
    setMessage(editor.error, "");
    try {
      this.#client.edit(questionId, content);
    } catch (error) {
      return setMessage(editor.error, error.message);
    }
    editor.textarea.readOnly = true;
    this.#sent = { kind: "edit", questionId, text: content, bubble: null };
    this.#setWaiting("Saving your change…");
  }

  #closeEditor() {
    const editor = this.#editor;
    if (!editor) return;
    this.#editor = null;
    editor.form.remove();
    editor.host.classList.remove("editing");
    if (editor.opener.isConnected && !this.#sent) editor.opener.focus();
  }

  #reviewItem({ questionId, question, answer }) {
    const item = el(
      "li",
      { "data-question-id": questionId },
      el("span", { class: "question", text: question }),
      el("span", { class: "text", text: answer }),
    );
    const button = el("button", {
      type: "button",
      class: "edit link",
      text: "Change",
      "aria-label": `Change your answer to: ${question}`,
      onclick: () => this.#openEditor(questionId, item, button),
    });
    item.append(button);
    return item;
  }

  #leaveReview() {
    if (!this.#inReview) return;
    this.#inReview = false;
    $("review").hidden = true;
    delete $("chat").dataset.mode;
    $("transcript").hidden = false;
    $("answer-form").hidden = false;
  }

  #setQuestion(question, progress) {
    this.#question = question;
    $("answer-label").textContent = question?.text ?? "Answer";
    setMessage($("answer-hint"), question?.hint ?? "");
    const choices = $("choices");
    const options = question?.options ?? [];
    choices.replaceChildren(...options.map((option) =>
      el("button", {
        type: "button",
        class: "choice",
        text: option,
        onclick: () => this.submitAnswer(option),
      })
    ));
    choices.hidden = options.length === 0;
    $("answer").inputMode = { number: "numeric", amount: "decimal", email: "email" }[
      question?.type
    ] ?? "text";
    $("answer").rows = question?.type === "long_text" ? 4 : 2;
    if (progress) this.#setProgress(progress);
  }

  #setProgress({ answered, total }, text) {
    const current = Math.min(answered + 1, total);
    $("progress").hidden = total === 0;
    $("progress-text").textContent = text ?? `Question ${current} of ${total}`;
    const bar = $("progress-bar");
    bar.setAttribute("aria-valuenow", String(answered));
    bar.setAttribute("aria-valuemax", String(total));
    bar.setAttribute("aria-valuetext", `${answered} of ${total} answered`);
    bar.firstElementChild.style.width = `${total ? (100 * answered) / total : 0}%`;
  }

  #lockInput(locked) {
    const enabled = this.#question !== null && this.#client.state !== "closed";
    $("answer").disabled = !enabled;
    $("answer").readOnly = locked;
    $("send").disabled = !enabled || locked;
    for (const button of $("choices").querySelectorAll("button")) {
      button.disabled = !enabled || locked;
    }
  }

  /**
   * Focus moves to the new question: to its first choice, else to the answer box named by it.
   * The box often has the focus already; leaving and entering it again makes screen readers
   * announce its new name, the new question.
   */
  #focusQuestion() {
    const first = $("choices").hidden ? null : $("choices").querySelector("button");
    const target = first ?? $("answer");
    if (document.activeElement === target) target.blur();
    target.focus({ preventScroll: true });
    $("answer-form").scrollIntoView({ block: "nearest" });
  }

  #setWaiting(text) {
    $("waiting").textContent = text;
    $("waiting").classList.toggle("active", Boolean(text));
  }

  #hideErrors() {
    $("chat-error").hidden = true;
    setMessage($("answer-error"), "");
  }
}
