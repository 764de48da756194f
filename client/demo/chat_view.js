// The interview view: the status, the progress, the answer box (answer_box.js), and the parts it
// composes: the transcript (transcript.js), the editor of earlier answers (answer_editor.js) and
// the review (review.js). The ChatClient owns the socket and the interview's state: which
// protocol the server chose, what was sent and not yet acknowledged, and what each frame
// acknowledged. This file draws that. The answer box is never locked while an answer is on its
// way: the answer moves into its bubble, and what is typed next stays for the next question.
import { ChatClient } from "../chat_client.ts";
import { config, supabaseClient } from "./api.js";
import { AnswerBox } from "./answer_box.js";
import { AnswerEditor, EMPTY_ANSWER } from "./answer_editor.js";
import { setProgress, showConnectionState, showOnline } from "./chat_status.js";
import { $, setMessage } from "./dom.js";
import { hideReview, showReview, showReviewError } from "./review.js";
import { Transcript } from "./transcript.js";

/** Error codes after which the answer is stored: only the next question is missing. */
const STORED_ANYWAY = new Set(["ai_unavailable", "ai_rejected"]);
const SUPERSEDED = 4509;
const FINISH_THE_CHANGE = "Save or cancel the change to your earlier answer first.";
// The session last seen per template, so that a reload right after the last answer still learns
// that the interview completed (ChatClient's sessionId option).
const sessionKey = (templateId) => `demo.session.${templateId}`;

export function forgetSession(templateId) {
  sessionStorage.removeItem(sessionKey(templateId));
}

/** The draft a card's "Continue" names, for the connection to name in turn. */
export function rememberSession(templateId, sessionId) {
  sessionStorage.setItem(sessionKey(templateId), sessionId);
}

// A card's "New draft": the next chat of this template asks for a draft beside the open ones.
const newDraftKey = (templateId) => `demo.newDraft.${templateId}`;

export function askForNewDraft(templateId) {
  forgetSession(templateId);
  sessionStorage.setItem(newDraftKey(templateId), "1");
}

/** The person's time zone, so "next Monday" is their Monday. */
function timeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
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
  #box;
  /** The question the answer box shows, so a question asked again is not announced again. */
  #shownQuestionId = null;
  /** What the progress said before an editor opened, said again when it closes. */
  #progressBeforeEdit = "";
  #connection = {
    online: () => this.#client.state === "closed" || showOnline(true),
    offline: () => this.#client.state === "closed" || showOnline(false),
  };

  constructor({ templateId, title, restart = false, onComplete }) {
    this.#templateId = templateId;
    this.#onComplete = onComplete;
    $("chat-title").textContent = title;
    this.#box = new AnswerBox({ onSubmit: (text) => this.submitAnswer(text) });
    this.#editor = new AnswerEditor({
      send: (questionId, content) => this.#sendEdit(questionId, content),
      busy: () => this.#client?.pending != null,
      onClose: () => setProgress(null, this.#progressBeforeEdit),
    });
    $("answer").value = "";
    globalThis.addEventListener("online", this.#connection.online);
    globalThis.addEventListener("offline", this.#connection.offline);
    this.#connect({ restart });
  }

  get templateId() {
    return this.#templateId;
  }

  close() {
    this.#client.close();
    globalThis.removeEventListener("online", this.#connection.online);
    globalThis.removeEventListener("offline", this.#connection.offline);
  }

  /** "Continue here": the interview comes back to this tab, from the one that took it. */
  takeOver() {
    this.#client.close();
    this.#connect({});
  }

  /** The answer box's submit: Enter, the Send button, a choice or Skip. */
  submitAnswer(text) {
    const question = this.#client.question;
    if (!question || this.#client.pending || text === "") return; // the text stays in the box
    if (this.#editor.refused) return setMessage($("answer-error"), FINISH_THE_CHANGE);
    const content = text.trim();
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
    if (this.#box.value.trim() === content) this.#box.sent(question.id);
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

  /**
   * A new ChatClient. "Continue here" is one too: a new client names no generation it held, so
   * its connection takes the interview over, where a reconnect after a cut never would.
   */
  #connect({ restart = false }) {
    this.#transcript.clear();
    hideReview();
    $("progress").hidden = true;
    $("superseded").hidden = true;
    this.#setWaiting("");
    $("chat-error").hidden = true;
    setMessage($("answer-error"), "");
    const templateId = this.#templateId;
    // Asked once: the client keeps asking until the server has answered, then names the draft.
    const newDraft = sessionStorage.getItem(newDraftKey(templateId)) === "1";
    sessionStorage.removeItem(newDraftKey(templateId));
    const client = new ChatClient({
      // The session, its refreshes and the chat's URL (/functions/v1/chat) come from supabase-js.
      supabase: supabaseClient(),
      templateId,
      protocol: "v2",
      restart,
      tz: timeZone(),
      sessionId: restart ? undefined : sessionStorage.getItem(sessionKey(templateId)) ?? undefined,
      newDraft,
      ...(config.heartbeatIntervalMs ? { heartbeatIntervalMs: config.heartbeatIntervalMs } : {}),
      ...(config.heartbeatTimeoutMs ? { heartbeatTimeoutMs: config.heartbeatTimeoutMs } : {}),
    });
    this.#client = client;
    this.#box.setQuestion(null);
    this.#box.enable(false);
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

  #sendEdit(questionId, content) {
    try {
      this.#client.edit(questionId, content);
    } catch (error) {
      return error.message;
    }
    this.#setWaiting("Saving your change…");
    return null;
  }

  #renderState(detail) {
    showConnectionState(detail);
    if (detail.state !== "closed") return;
    if (detail.code !== 1000) this.#setWaiting("");
    this.#box.enable(false);
    if (detail.code === SUPERSEDED) {
      // Next to the input, with the way back in reach and in focus.
      $("superseded").hidden = false;
      $("take-over").focus();
    }
  }

  #renderResumed({ history, answers, title }) {
    // The bubbles show what was typed; "Understood as" shows the answers as the engine keeps
    // them ("March 1, 2026" for "2026-03-01").
    this.#transcript.showHistory(history);
    this.#transcript.addNotice("Resumed where you left off");
    this.#setSubtitle(title);
    const pending = this.#client.pendingAnswer;
    const stored = settled(this.#client.acknowledged);
    if (pending) this.#transcript.addPendingAnswer(pending.content, pending);
    else if (stored?.kind === "edit") this.#editor.accepted();
    const asked = history.at(-1)?.role === "assistant" ? history.at(-1).questionId : null;
    if (this.#client.protocol === "v2") this.#transcript.showApplying(answers, asked);
    this.#refreshEditControls();
  }

  #renderQuestion(detail) {
    const { question, progress, problem, editing, answers, understood, title } = detail;
    this.#setSubtitle(title);
    if (this.#client.pending) {
      // Asked again after a reconnect, before what is on its way was acknowledged: it is resent.
      if (progress) setProgress(progress);
      return;
    }
    this.#setWaiting("");
    $("chat-error").hidden = true;
    const sent = settled(this.#client.acknowledged);
    if (sent?.kind === "edit") {
      if (editing || (problem && question.id === sent.questionId)) {
        // A refused change: the editor stays where it was (or opens there again, if it was
        // closed while the change was on its way), with the reason inside it.
        if (!this.#editor.isOpen) this.#reopenEditor(sent.questionId);
        this.#editor.refuse(problem ?? "This answer was not accepted.");
        this.#transcript.rememberQuestion(question);
        return setProgress(progress, this.#changingText(question.id, progress));
      }
      this.#editor.accepted();
      this.#transcript.showChange(sent.questionId, sent.text);
    }
    const refused = sent?.kind === "answer" && Boolean(problem) && question.id === sent.questionId;
    if (sent?.kind === "answer") {
      if (refused) this.#transcript.withdraw(sent.clientMessageId);
      else this.#transcript.settle(sent.clientMessageId);
    }
    hideReview();
    const isNew = !refused && this.#client.question?.id !== this.#shownQuestionId;
    this.#transcript.addQuestion(question.id, question.text, question);
    this.#transcript.rememberQuestion(question);
    if (understood) this.#transcript.showUnderstood(understood.questionId, understood.answer);
    if (answers) this.#transcript.showApplying(answers, question.id);
    const typingAhead = document.activeElement === $("answer") && $("answer").value !== "";
    this.#box.setQuestion(question, this.#client.sessionId);
    this.#shownQuestionId = question.id;
    if (refused) this.#box.putBack(sent.text);
    setMessage($("answer-error"), problem ?? "");
    if (progress) setProgress(progress);
    this.#box.enable(true);
    this.#refreshEditControls();
    if (isNew) $("announcer").textContent = `${$("progress-text").textContent}: ${question.text}`;
    if (!refused && !typingAhead && !this.#editor.isOpen) this.#focusQuestion();
  }

  #renderReview(review) {
    this.#setWaiting("");
    this.#setSubtitle(review.title);
    const sent = settled(this.#client.acknowledged);
    const fromReview = !$("review").hidden && sent?.kind === "edit";
    if (sent?.kind === "edit") {
      this.#editor.accepted();
      this.#transcript.showChange(sent.questionId, sent.text);
    } else if (sent) this.#transcript.settle(sent.clientMessageId);
    this.#transcript.showApplying(review.answers, null);
    if (review.understood) {
      this.#transcript.showUnderstood(review.understood.questionId, review.understood.answer);
    }
    this.#shownQuestionId = null;
    const answered = review.answers.filter((answer) => answer.applies !== false).length;
    setProgress({ answered, total: answered }, "All questions answered");
    this.#refreshEditControls();
    showReview(review, { onChange: (...args) => this.#openEditor(...args) });
    // A change made in the review: focus back on that answer's "Change", not the heading.
    const changed = fromReview
      ? $("review-answers").querySelector(
        `[data-question-id="${CSS.escape(sent.questionId)}"] .edit`,
      )
      : null;
    (changed ?? $("review-heading")).focus();
  }

  #renderError({ message, code, retryable, source }) {
    this.#setWaiting("");
    // Only the server's frames acknowledge; a client-side problem leaves what is on its way.
    const sent = source === "server" ? settled(this.#client.acknowledged) : null;
    if (sent && !STORED_ANYWAY.has(code)) {
      // Refused before it was stored: the text goes back where it was typed, with the reason.
      if (sent.kind === "edit" && this.#editor.isOpen) return this.#editor.refuse(message);
      if (sent.kind === "answer") {
        this.#transcript.withdraw(sent.clientMessageId);
        this.#box.putBack(sent.text);
        return setMessage($("answer-error"), message);
      }
    }
    if (sent?.kind === "answer") this.#transcript.settle(sent.clientMessageId);
    if (this.#client.review) return showReviewError(message);
    $("chat-error-text").textContent = message;
    $("retry").hidden = !(retryable && source === "server");
    $("chat-error").hidden = false;
  }

  /** v2 (as the server chose it): a "Change" control on every earlier answer. */
  #refreshEditControls() {
    this.#transcript.refreshEditControls(
      this.#client.protocol === "v2",
      (...args) => this.#openEditor(...args),
    );
  }

  #openEditor(questionId, host, opener) {
    const { text, options, type } = this.#transcript.questionOf(questionId);
    const review = this.#client.review;
    const question = review?.answers.find((answer) => answer.questionId === questionId)
      ?.question ?? text;
    this.#editor.open({
      questionId,
      host,
      opener,
      question,
      options,
      long: type === "long_text",
    });
    // Progress follows the question being changed while its editor is open.
    this.#progressBeforeEdit = $("progress-text").textContent;
    setProgress(null, this.#changingText(questionId));
  }

  /** The editor on an answer again, in the review if it shows, else in its bubble. */
  #reopenEditor(questionId) {
    const selector = `[data-question-id="${CSS.escape(questionId)}"]`;
    const host = $("review").hidden
      ? $("transcript").querySelector(`.bubble[data-role="user"]${selector}`)
      : $("review-answers").querySelector(selector);
    if (host) this.#openEditor(questionId, host, host.querySelector(".edit") ?? $("answer"));
  }

  /** "Changing question 5 of 10": the progress follows the answer being changed. */
  #changingText(questionId, progress) {
    const inReview = this.#client.review?.answers.findIndex((a) => a.questionId === questionId);
    const position = progress?.current ??
      (inReview !== undefined && inReview >= 0
        ? inReview + 1
        : this.#transcript.positionOf(questionId));
    const total = progress?.total ??
      Number($("progress-bar").getAttribute("aria-valuemax") ?? 0);
    return position > 0 && total > 0
      ? `Changing question ${position} of ${total}`
      : "Changing an earlier answer";
  }

  #setSubtitle(title) {
    if (title === undefined) return;
    const shown = title && title !== $("chat-title").textContent ? title : "";
    setMessage($("chat-subtitle"), shown);
  }

  /** Focus moves to the new question: to its first choice, else to the answer box named by it. */
  #focusQuestion() {
    this.#box.focusTarget().focus({ preventScroll: true });
    $("answer-form").scrollIntoView({ block: "nearest" });
  }

  /** What is on its way, for the eye only: the live region announces new questions alone. */
  #setWaiting(text) {
    $("waiting").textContent = text;
    $("waiting").classList.toggle("active", Boolean(text));
  }
}
