// The editor that changes an earlier answer in place, in a transcript bubble or a review item:
// a text box (Enter saves, Escape cancels) and, for a choice or yes/no question, its options as
// buttons. Saving hands the text to `send(questionId, content)`, which returns why it could not
// be sent, or null; the server's verdict comes back through the ChatClient's events. A refused
// change keeps the editor open with the reason inside it; cancelling then puts the answer the
// person had back (the server asks the refused question again until it has an answer).
import { el, onPhone, setMessage } from "./dom.js";

export const EMPTY_ANSWER = "Please type an answer first: spaces alone are not an answer.";

export class AnswerEditor {
  /** The open editor: { questionId, host, form, textarea, error, opener }. */
  #open = null;
  #send;
  #busy;

  #onClose;

  /**
   * `busy()` says whether a frame is on its way (then saving does nothing); `onClose()` is told
   * when the editor closes.
   */
  constructor({ send, busy, onClose = () => {} }) {
    this.#send = send;
    this.#busy = busy;
    this.#onClose = onClose;
  }

  get isOpen() {
    return this.#open !== null;
  }

  /** The question being changed, while the editor is open. */
  get questionId() {
    return this.#open?.questionId ?? null;
  }

  /** The server refused the change: the question it asks again is the one being changed. */
  get refused() {
    return this.#open?.refused ?? false;
  }

  /** Opens an editor in `host` (a bubble or a review item); `opener` gets the focus back. */
  open({ questionId, host, opener, question, options, long }) {
    if (this.#open) this.close();
    const current = host.dataset.answer ?? host.querySelector(".text").textContent;
    const id = `edit-${questionId}`;
    const textarea = el("textarea", { id, rows: long ? 4 : 2, value: current });
    const error = el("p", { class: "error", role: "alert", hidden: true });
    const save = () => this.#save(questionId, textarea.value);
    textarea.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
      if (long && onPhone()) return; // a new line; Save saves
      event.preventDefault();
      save();
    });
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
          this.close();
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
              onclick: () => this.#save(questionId, option),
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
          onclick: () => this.close(),
        }),
      ),
      error,
    );
    host.classList.add("editing");
    host.append(form);
    textarea.setAttribute("aria-describedby", `${id}-error`);
    error.id = `${id}-error`;
    this.#open = {
      questionId,
      host,
      form,
      textarea,
      error,
      opener,
      original: current,
      refused: false,
    };
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  close() {
    const editor = this.#open;
    if (!editor) return;
    this.#open = null;
    // Refused, the server asks this question again: the answer the person had goes back.
    if (editor.refused && !this.#busy()) this.#send(editor.questionId, editor.original);
    editor.form.remove();
    this.#onClose();
    editor.host.classList.remove("editing");
    if (editor.opener.isConnected && !this.#busy()) editor.opener.focus();
  }

  /** The server refused the change before storing it: the text is editable again, with why. */
  refuse(message) {
    const editor = this.#open;
    if (!editor) return;
    editor.refused = true;
    editor.textarea.readOnly = false;
    setMessage(editor.error, message);
    editor.textarea.focus();
    editor.textarea.select();
  }

  /** The change was accepted: the editor closes, nothing to put back. */
  accepted() {
    if (this.#open) this.#open.refused = false;
    this.close();
  }

  #save(questionId, text) {
    const editor = this.#open;
    if (!editor || this.#busy()) return;
    const content = text.trim();
    if (!content) {
      setMessage(editor.error, EMPTY_ANSWER);
      return editor.textarea.focus();
    }
    setMessage(editor.error, "");
    const problem = this.#send(questionId, content);
    if (problem) return setMessage(editor.error, problem);
    editor.textarea.readOnly = true;
  }
}
