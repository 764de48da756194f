// The conversation: one bubble per question and answer, each answer with a "Change" control in
// v2. It draws what the ChatClient reports and remembers only what the page needs to draw the
// next change: which bubble shows the current answer to each question, and each question as last
// asked (its options, for the editor). What was sent and is not yet acknowledged is the client's
// to know (`client.pending`, `client.acknowledged`); a bubble on its way carries the frame's
// clientMessageId so that the acknowledgement finds it. A refused answer leaves no bubble and
// asks no second question bubble: the reason shows once, beside the answer box.
import { $, el } from "./dom.js";

export const NO_LONGER_NEEDED = "No longer needed";

/** A user turn the next turn refused: the same question asked again with a problem. */
function refusedAt(history, index) {
  const turn = history[index];
  const next = history[index + 1];
  return turn?.role === "user" && next?.role === "assistant" && Boolean(next.problem) &&
    next.questionId === turn.questionId;
}

export class Transcript {
  /** The bubble of the current answer to each question. */
  #answerBubbles = new Map();
  /** Each question as last asked (v2: with its type and options), for editing its answer. */
  #questions = new Map();
  /** The questions in the order they were first asked. */
  #order = [];

  clear() {
    this.#answerBubbles.clear();
    this.#order = [];
    $("transcript").replaceChildren();
  }

  /** A resumed session's whole history, replacing what is shown. */
  showHistory(history) {
    this.clear();
    history.forEach((turn, index) => {
      if (turn.role === "assistant") {
        this.rememberQuestion({ ...turn.details, id: turn.questionId, text: turn.content });
        // Asked again after a refusal: the first bubble stands.
        if (!refusedAt(history, index - 1)) {
          this.addQuestion(turn.questionId, turn.content, turn.details);
        }
      } else if (refusedAt(history, index)) {
        // Not accepted: shown as never sent, as it was on screen.
      } else if (turn.edit && this.#answerBubbles.has(turn.questionId)) {
        this.showChange(turn.questionId, turn.content);
      } else this.#addBubble("user", turn.content, { questionId: turn.questionId });
    });
  }

  /** A question bubble, unless it repeats the question right above it (after an edit). */
  addQuestion(questionId, text, { required } = {}) {
    const last = [...$("transcript").children].filter((item) => item.dataset.role !== "notice")
      .at(-1);
    if (last?.dataset.role === "assistant" && last.dataset.questionId === questionId) return last;
    const bubble = this.#addBubble("assistant", text, { questionId });
    if (required === false) {
      bubble.querySelector(".text").after(el("span", { class: "optional", text: "Optional" }));
    }
    return bubble;
  }

  /** Remembers a question as asked, with its details. */
  rememberQuestion(question) {
    this.#questions.set(question.id, question);
    if (!this.#order.includes(question.id)) this.#order.push(question.id);
  }

  /** Where a question stands in the interview (1 for the first asked), for "Changing 5 of 10". */
  positionOf(questionId) {
    return this.#order.indexOf(questionId) + 1;
  }

  /** An answer on its way: shown as pending until `settle` or `withdraw`. */
  addPendingAnswer(text, { questionId, clientMessageId }) {
    const bubble = this.#addBubble("user", text, { questionId, clientMessageId });
    bubble.classList.add("pending");
  }

  addNotice(text) {
    this.#addBubble("notice", text);
  }

  /** The server acknowledged the answer: no longer pending. */
  settle(clientMessageId) {
    this.#bubbleOf(clientMessageId)?.classList.remove("pending");
  }

  /** The server refused the answer: no bubble is left as if it had been sent. */
  withdraw(clientMessageId) {
    const bubble = this.#bubbleOf(clientMessageId);
    if (!bubble) return;
    for (const [questionId, current] of this.#answerBubbles) {
      if (current === bubble) this.#answerBubbles.delete(questionId);
    }
    bubble.remove();
  }

  /** An accepted change of an earlier answer. */
  showChange(questionId, text) {
    const bubble = this.#answerBubbles.get(questionId);
    if (!bubble) return;
    bubble.querySelector(".text").textContent = text;
    bubble.querySelector(".understood")?.remove();
    if (!bubble.querySelector(".edited")) {
      bubble.querySelector(".text").after(el("span", { class: "edited", text: " (changed)" }));
    }
  }

  /** "Understood as December 14, 2026" under the answer, when it was read differently. */
  showUnderstood(questionId, answer) {
    const bubble = this.#answerBubbles.get(questionId);
    if (!bubble) return;
    const typed = bubble.querySelector(".text").textContent.trim();
    bubble.querySelector(".understood")?.remove();
    if (answer === "" || answer.toLowerCase() === typed.toLowerCase()) return;
    const echo = el("span", { class: "understood", text: `Understood as ${answer}` });
    (bubble.querySelector(".edited") ?? bubble.querySelector(".text")).after(echo);
  }

  /**
   * Marks the answers whose question no longer applies, from a list of the current answers
   * (`applies: false` marks one; so does an answered question the list leaves out), and brings
   * back, with its kept value, one that applies again. The pending question is never marked.
   */
  showApplying(answers, pendingId) {
    const applying = new Set(
      answers.filter((answer) => answer.applies !== false).map((answer) => answer.questionId),
    );
    for (const [questionId, bubble] of this.#answerBubbles) {
      const stale = questionId !== pendingId && !applying.has(questionId);
      bubble.classList.toggle("stale", stale);
      bubble.querySelector(".stale-note")?.remove();
      if (stale) {
        bubble.querySelector(".edit")?.remove();
        bubble.append(el("span", { class: "stale-note", text: NO_LONGER_NEEDED }));
      }
      this.#questionBubble(questionId)?.classList.toggle("stale", stale);
    }
    for (const answer of answers) {
      if (answer.applies !== false) this.showUnderstood(answer.questionId, answer.answer);
    }
  }

  /** The question's text as last shown, and its details (type, options, required). */
  questionOf(questionId) {
    const text = this.#questionBubble(questionId)?.querySelector(".text").textContent ??
      questionId;
    return {
      ...this.#questions.get(questionId),
      text,
      options: this.#questions.get(questionId)?.options ?? [],
    };
  }

  /**
   * A "Change" control on the current answer to each question that applies (v2 only):
   * `onChange(questionId, bubble, button)` opens the editor.
   */
  refreshEditControls(editable, onChange) {
    // Only the current answer to a question can be changed, not one it replaced.
    const current = new Set(this.#answerBubbles.values());
    for (const button of $("transcript").querySelectorAll(".bubble .edit")) {
      if (!current.has(button.closest(".bubble"))) button.remove();
    }
    for (const [questionId, bubble] of this.#answerBubbles) {
      if (!bubble.isConnected) continue;
      let button = bubble.querySelector(".edit");
      if (!editable || bubble.classList.contains("stale")) {
        button?.remove();
        continue;
      }
      if (!button) {
        const question = this.questionOf(questionId).text;
        button = el("button", {
          type: "button",
          class: "edit link",
          text: "Change",
          "aria-label": `Change your answer to: ${question}`,
          onclick: () => onChange(questionId, bubble, button),
        });
        bubble.append(button);
      }
    }
  }

  #questionBubble(questionId) {
    const bubbles = $("transcript").querySelectorAll(
      `.bubble[data-role="assistant"][data-question-id="${CSS.escape(questionId)}"]`,
    );
    return bubbles[bubbles.length - 1] ?? null;
  }

  #bubbleOf(clientMessageId) {
    return $("transcript").querySelector(
      `.bubble[data-client-message-id="${CSS.escape(clientMessageId)}"]`,
    );
  }

  #addBubble(role, text, { questionId, clientMessageId } = {}) {
    const who = { assistant: "Question: ", user: "You answered: ", notice: "" }[role];
    const item = el(
      "li",
      {
        class: "bubble",
        "data-role": role,
        "data-question-id": questionId,
        "data-client-message-id": clientMessageId,
      },
      who ? el("span", { class: "visually-hidden", text: who }) : null,
      el("span", { class: "text", text }),
    );
    $("transcript").append(item);
    if (role === "user" && questionId) this.#answerBubbles.set(questionId, item);
    item.scrollIntoView({ block: "nearest" });
    return item;
  }
}
