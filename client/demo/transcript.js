// The conversation: one bubble per question and answer, each answer with a "Change" control in
// v2. It draws what the ChatClient reports and remembers only what the page needs to draw the
// next change: which bubble shows the current answer to each question, and each question as last
// asked (its options, for the editor). What was sent and is not yet acknowledged is the client's
// to know (`client.pending`, `client.acknowledged`); a bubble on its way carries the frame's
// clientMessageId so that the acknowledgement finds it.
import { $, el } from "./dom.js";

export class Transcript {
  /** The bubble of the current answer to each question. */
  #answerBubbles = new Map();
  /** Each question as last asked (v2: with its type and options), for editing its answer. */
  #questions = new Map();

  clear() {
    this.#answerBubbles.clear();
    $("transcript").replaceChildren();
  }

  /** A resumed session's whole history, replacing what is shown. */
  showHistory(history) {
    this.clear();
    for (const turn of history) {
      if (turn.role === "assistant") {
        this.addQuestion(turn.questionId, turn.content);
        this.#questions.set(turn.questionId, {
          ...turn.details,
          id: turn.questionId,
          text: turn.content,
        });
      } else if (turn.edit && this.#answerBubbles.has(turn.questionId)) {
        this.showChange(turn.questionId, turn.content);
      } else this.#addBubble("user", turn.content, { questionId: turn.questionId });
    }
  }

  /** A question bubble, unless it repeats the question right above it (after an edit). */
  addQuestion(questionId, text, { problem } = {}) {
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

  /** Remembers a question as asked, with its details. */
  rememberQuestion(question) {
    this.#questions.set(question.id, question);
  }

  /** An answer on its way: shown as pending until `settle` or `withdraw`. */
  addPendingAnswer(text, { questionId, clientMessageId }) {
    const bubble = this.#addBubble("user", text, { questionId, clientMessageId });
    bubble.classList.add("pending");
  }

  addNotice(text) {
    this.#addBubble("notice", text);
  }

  /** The server acknowledged the answer: no longer pending; marked when it was not accepted. */
  settle(clientMessageId, { refused = false } = {}) {
    const bubble = this.#bubbleOf(clientMessageId);
    bubble?.classList.remove("pending");
    if (refused) bubble?.classList.add("refused");
  }

  /** The server refused the answer before storing it: no bubble is left as if it had been sent. */
  withdraw(clientMessageId) {
    this.#bubbleOf(clientMessageId)?.remove();
  }

  /** An accepted change of an earlier answer. */
  showChange(questionId, text) {
    const bubble = this.#answerBubbles.get(questionId);
    if (!bubble) return;
    bubble.querySelector(".text").textContent = text;
    if (!bubble.querySelector(".edited")) {
      bubble.querySelector(".text").after(el("span", { class: "edited", text: " (changed)" }));
    }
  }

  /** The question's text as last shown, and its options. */
  questionOf(questionId) {
    const bubbles = $("transcript").querySelectorAll(
      `.bubble[data-role="assistant"][data-question-id="${CSS.escape(questionId)}"]`,
    );
    const text = bubbles[bubbles.length - 1]?.querySelector(".text").textContent ?? questionId;
    return { text, options: this.#questions.get(questionId)?.options ?? [] };
  }

  /**
   * A "Change" control on the current answer to each question (v2 only): `onChange(questionId,
   * bubble, button)` opens the editor.
   */
  refreshEditControls(editable, onChange) {
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
