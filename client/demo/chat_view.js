// The interview view: the status, the progress, the answer box (with buttons for choices), and
// the parts it composes: the transcript (transcript.js), the editor of earlier answers
// (answer_editor.js) and the review (review.js). The ChatClient owns the socket and the
// interview's state: which protocol the server chose, what was sent and not yet acknowledged,
// and what each frame acknowledged. This file draws that. An answer stays in the box, read-only,
// until the client reports it acknowledged, so a refused answer is never lost.
import { ChatClient } from "../chat_client.ts";
import { config, supabaseClient } from "./api.js";
import { AnswerEditor, EMPTY_ANSWER } from "./answer_editor.js";
import { $, el, setMessage } from "./dom.js";
import { hideReview, showReview, showReviewError } from "./review.js";
import { Transcript } from "./transcript.js";

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

/** What the client reports acknowledged, as the page shows it; a confirm needs no settling. */
function settled(message) {
  if (message?.type === "user_message") {
    return { kind: "answer", ...message, text: message.content };
  }
  if (message?.type === "edit_answer") return { kind: "edit", ...message, text: message.content };
  return null;
}

/**
 * One interview on screen. `onComplete(documentId)` is called once the document is stored.
 */
export class ChatView {
  #client;
  #templateId;
  #onComplete;
  #transcript = new Transcript();
  #editor;

  constructor({ templateId, title, restart = false, onComplete }) {
    this.#templateId = templateId;
    this.#onComplete = onComplete;
    $("chat-title").textContent = title;
    this.#transcript.clear();
    hideReview();
    $("progress").hidden = true;
    $("answer").value = "";
    this.#setWaiting("");
    this.#hideErrors();

    this.#client = new ChatClient({
      // The session, its refreshes and the chat's URL (/functions/v1/chat) come from supabase-js.
      supabase: supabaseClient(),
      templateId,
      protocol: "v2",
      restart,
      sessionId: restart ? undefined : sessionStorage.getItem(sessionKey(templateId)) ?? undefined,
      ...(config.heartbeatIntervalMs ? { heartbeatIntervalMs: config.heartbeatIntervalMs } : {}),
      ...(config.heartbeatTimeoutMs ? { heartbeatTimeoutMs: config.heartbeatTimeoutMs } : {}),
    });
    const client = this.#client;
    this.#editor = new AnswerEditor({
      send: (questionId, content) => this.#sendEdit(questionId, content),
      busy: () => client.pending !== null,
    });
    this.#setQuestion(null);
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
    const question = this.#client.question;
    const content = text.trim();
    if (this.#client.pending || !question) return;
    if (!content) {
      setMessage($("answer-error"), EMPTY_ANSWER);
      return $("answer").focus();
    }
    setMessage($("answer-error"), "");
    let clientMessageId;
    try {
      clientMessageId = this.#client.answer(content, { questionId: question.id });
    } catch (error) {
      return setMessage($("answer-error"), error.message);
    }
    this.#transcript.addPendingAnswer(content, { questionId: question.id, clientMessageId });
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

  #sendEdit(questionId, content) {
    try {
      this.#client.edit(questionId, content);
    } catch (error) {
      return error.message;
    }
    this.#setWaiting("Saving your change…");
    return null;
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

  #renderResumed({ history }) {
    // The bubbles show what was typed; the review shows the answers as the engine keeps them
    // ("March 1, 2026" for "2026-03-01").
    this.#transcript.showHistory(history);
    this.#transcript.addNotice("Resumed where you left off");
    const pending = this.#client.pendingAnswer;
    const stored = settled(this.#client.acknowledged);
    if (pending) {
      this.#transcript.addPendingAnswer(pending.content, pending);
      $("answer").value = pending.content;
      this.#lockInput(true);
    } else if (stored?.kind === "answer") {
      // Stored before the connection dropped, as the history shows: the box is done with it.
      $("answer").value = "";
    } else if (stored?.kind === "edit") this.#editor.close();
    this.#refreshEditControls();
  }

  #renderQuestion({ question, progress, problem }) {
    if (this.#client.pending) {
      // Asked again after a reconnect, before what is on its way was acknowledged: it is resent.
      if (progress) this.#setProgress(progress);
      return;
    }
    this.#setWaiting("");
    $("chat-error").hidden = true;
    hideReview();
    const sent = settled(this.#client.acknowledged);
    const refused = sent && problem && question.id === sent.questionId;
    if (sent?.kind === "edit") {
      this.#editor.close();
      if (!refused) this.#transcript.showChange(sent.questionId, sent.text);
    } else if (sent) this.#transcript.settle(sent.clientMessageId, { refused });
    this.#transcript.addQuestion(question.id, question.text, { problem });
    this.#transcript.rememberQuestion(question);
    this.#setQuestion(question, progress);
    // The answer box keeps a refused answer (to correct it) and clears once one is accepted.
    if (refused) $("answer").value = sent.text;
    else if (sent) $("answer").value = "";
    setMessage($("answer-error"), problem ?? "");
    this.#lockInput(false);
    this.#refreshEditControls();
    this.#focusQuestion();
  }

  #renderReview(review) {
    this.#setWaiting("");
    const sent = settled(this.#client.acknowledged);
    if (sent?.kind === "edit") {
      this.#editor.close();
      this.#transcript.showChange(sent.questionId, sent.text);
    } else if (sent) {
      this.#transcript.settle(sent.clientMessageId);
      $("answer").value = "";
    }
    const answered = review.answers.length;
    this.#setProgress({ answered, total: answered }, "All questions answered");
    this.#refreshEditControls();
    showReview(review, { onChange: (...args) => this.#openEditor(...args) });
  }

  #renderError({ message, code, retryable, source }) {
    this.#setWaiting("");
    // Only the server's frames acknowledge; a client-side problem leaves what is on its way.
    const sent = source === "server" ? settled(this.#client.acknowledged) : null;
    if (sent && !STORED_ANYWAY.has(code)) {
      // Refused before it was stored: the text stays where it was typed, with the reason.
      if (sent.kind === "edit" && this.#editor.isOpen) return this.#editor.refuse(message);
      if (sent.kind === "answer") {
        this.#transcript.withdraw(sent.clientMessageId);
        $("answer").value = sent.text;
        this.#lockInput(false);
        setMessage($("answer-error"), message);
        return $("answer").focus();
      }
    }
    if (sent?.kind === "answer") {
      this.#transcript.settle(sent.clientMessageId);
      $("answer").value = "";
    }
    if (this.#client.review) return showReviewError(message);
    $("chat-error-text").textContent = message;
    $("retry").hidden = !(retryable && source === "server");
    $("chat-error").hidden = false;
    this.#lockInput(false);
  }

  /** v2 (as the server chose it): a "Change" control on every earlier answer. */
  #refreshEditControls() {
    this.#transcript.refreshEditControls(
      this.#client.protocol === "v2",
      (...args) => this.#openEditor(...args),
    );
  }

  #openEditor(questionId, host, opener) {
    const { text, options } = this.#transcript.questionOf(questionId);
    this.#editor.open({ questionId, host, opener, question: text, options });
  }

  #setQuestion(question, progress) {
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
    const enabled = this.#client.question !== null && this.#client.state !== "closed";
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
