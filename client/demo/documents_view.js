// The documents view (the caller's finished documents and, per template, the interview in
// progress or the finished ones) and the document view, both read from the documents function.
import { documentToHtml } from "../../supabase/functions/_shared/document/markdown_html.ts";
import {
  deleteDocument,
  discardDraft,
  documentsJson,
  downloadDocument,
  renameDocument,
} from "./api.js";
import { $, el, setMessage, timeElement, wrapTables } from "./dom.js";

export const FORMATS = [
  { format: "docx", label: "DOCX" },
  { format: "pdf", label: "PDF" },
  { format: "md", label: "Markdown" },
  { format: "html", label: "HTML" },
];

/** One button per format; a failed download says why in `errorElement`. */
export function downloadButtons(documentId, title, errorElement) {
  return FORMATS.map(({ format, label }) =>
    el("button", {
      type: "button",
      class: "secondary",
      "data-format": format,
      "aria-label": `Download ${title} as ${label}`,
      text: label,
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        setMessage(errorElement, "");
        try {
          await downloadDocument(documentId, format);
        } catch (error) {
          setMessage(errorElement, `Cannot download the ${label} file: ${error.message}`);
        } finally {
          button.disabled = false;
        }
      },
    })
  );
}

/**
 * Renders the documents view: "Loading…" while it reads, the reason and "Try again" when it
 * cannot. `navigate(hash)` changes the view; `startNew(templateId)` opens a new interview of a
 * template; `resume(templateId, sessionId)` continues a draft.
 */
export async function renderDocuments(actions) {
  const rerender = () => renderDocuments(actions);
  $("documents-retry").onclick = rerender;
  $("documents-error").hidden = true;
  $("documents-loading").textContent = "Loading your documents…";
  let documents, templates;
  try {
    [documents, { templates }] = await Promise.all([
      allDocuments(),
      documentsJson("/interviews"),
    ]);
  } catch (problem) {
    $("documents-loading").textContent = "";
    $("documents-error-text").textContent = `Cannot load your documents: ${problem.message}`;
    $("documents-error").hidden = false;
    return;
  }
  $("documents-loading").textContent = "";
  const withRerender = { ...actions, rerender };
  $("finished-empty").hidden = documents.length > 0;
  $("finished-list").replaceChildren(...documents.map((doc) => finishedCard(doc, withRerender)));
  $("template-list").replaceChildren(
    ...templates.filter((t) => t.active).map((t) => templateCard(t, withRerender)),
  );
}

/** Every page of GET /documents, newest first, following `nextCursor`. */
async function allDocuments() {
  const documents = [];
  let cursor = null;
  do {
    const page = await documentsJson(
      `/documents?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    documents.push(...page.documents);
    cursor = page.nextCursor;
  } while (cursor);
  return documents;
}

function finishedCard(doc, { navigate, rerender }) {
  const errorLine = el("p", { class: "error", role: "alert", hidden: true });
  const heading = el(
    "h3",
    {},
    el("a", {
      href: `#/document/${doc.id}`,
      text: doc.title,
      onclick: (event) => {
        event.preventDefault();
        navigate(`#/document/${doc.id}`);
      },
    }),
  );
  const card = el(
    "li",
    { class: "card", "data-document-id": doc.id },
    heading,
    el(
      "p",
      { class: "meta" },
      el("span", { class: "badge finished", text: "Finished" }),
      " ",
      timeElement(doc.createdAt),
      doc.templateName && doc.templateName !== doc.title ? ` · ${doc.templateName}` : null,
    ),
    el(
      "div",
      { class: "downloads", role: "group", "aria-label": `Download ${doc.title}` },
      el("span", { class: "muted", "aria-hidden": "true", text: "Download" }),
      ...downloadButtons(doc.id, doc.title, errorLine),
    ),
  );
  const actions = el(
    "div",
    { class: "actions" },
    el("button", {
      type: "button",
      class: "secondary",
      text: "Rename",
      "aria-label": `Rename ${doc.title}`,
      onclick: (event) => openRename(card, doc, event.currentTarget, rerender),
    }),
    el("button", {
      type: "button",
      class: "secondary",
      text: "Delete",
      "aria-label": `Delete ${doc.title}`,
      onclick: async () => {
        if (!await confirmed("delete-dialog", `"${doc.title}" and its answers are deleted.`)) {
          return;
        }
        setMessage(errorLine, "");
        try {
          await deleteDocument(doc.id);
          await rerender();
          $("documents-heading").focus();
        } catch (problem) {
          setMessage(errorLine, `Cannot delete "${doc.title}": ${problem.message}`);
        }
      },
    }),
  );
  card.append(actions, errorLine);
  return card;
}

/** Renaming in place: a labelled box with the title, Save and Cancel, the refusal inside. */
function openRename(card, doc, opener, rerender) {
  if (card.querySelector(".rename")) return;
  const id = `rename-${doc.id}`;
  const input = el("input", { id, type: "text", value: doc.title, maxLength: 500 });
  const error = el("p", { id: `${id}-error`, class: "error", role: "alert", hidden: true });
  input.setAttribute("aria-describedby", error.id);
  const close = () => {
    form.remove();
    opener.focus();
  };
  const form = el(
    "form",
    {
      class: "rename editor",
      onsubmit: async (event) => {
        event.preventDefault();
        const title = input.value.trim();
        if (!title) return setMessage(error, "Please type a title.");
        try {
          await renameDocument(doc.id, title);
          await rerender();
          document.querySelector(`[data-document-id="${CSS.escape(doc.id)}"] h3 a`)?.focus();
        } catch (problem) {
          setMessage(error, `Cannot rename: ${problem.message}`);
          input.focus();
        }
      },
      onkeydown: (event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        close();
      },
    },
    el("label", { for: id, text: `New title for ${doc.title}` }),
    input,
    el(
      "div",
      { class: "editor-actions" },
      el("button", { type: "submit", text: "Save" }),
      el("button", { type: "button", class: "secondary", text: "Cancel", onclick: close }),
    ),
    error,
  );
  card.append(form);
  input.focus();
  input.select();
}

/** Opens a confirming dialog with `text`; true when its danger button was pressed. */
function confirmed(dialogId, text) {
  const dialog = $(dialogId);
  dialog.querySelector("p").textContent = text;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue !== "" && dialog.returnValue !== "cancel");
    }, { once: true });
  });
}

function draftItem(template, draft, { resume, rerender }) {
  const { answered, total } = draft.progress;
  const errorLine = el("p", { class: "error", role: "alert", hidden: true });
  return el(
    "li",
    { class: "draft", "data-session-id": draft.sessionId },
    el("p", { class: "draft-title", text: draft.title }),
    el(
      "p",
      { class: "meta" },
      el("span", { class: "badge in-progress", text: "In progress" }),
      ` ${answered} of ${total} questions answered · last change `,
      timeElement(draft.updatedAt),
    ),
    el(
      "div",
      { class: "actions" },
      el("button", {
        type: "button",
        text: "Continue",
        "aria-label": `Continue ${draft.title}`,
        onclick: () => resume(template.templateId, draft.sessionId),
      }),
      el("button", {
        type: "button",
        class: "secondary",
        text: "Discard",
        "aria-label": `Discard the draft ${draft.title}`,
        onclick: async () => {
          const text = `"${draft.title}" and its ${answered} answers are deleted.`;
          if (!await confirmed("discard-dialog", text)) return;
          try {
            await discardDraft(draft.sessionId);
            await rerender();
            $("documents-heading").focus();
          } catch (problem) {
            setMessage(errorLine, `Cannot discard "${draft.title}": ${problem.message}`);
          }
        },
      }),
    ),
    errorLine,
  );
}

function templateCard(template, actions) {
  const { navigate, startNew } = actions;
  const latest = template.finished[0];
  const drafts = template.drafts ?? (template.open ? [template.open] : []);
  const status = el("p", { class: "meta" });
  const buttons = el("div", { class: "actions" });
  if (drafts.length === 0 && latest) {
    status.append(
      el("span", { class: "badge finished", text: "Finished" }),
      " ",
      timeElement(latest.createdAt),
    );
  } else if (drafts.length === 0) {
    status.append(el("span", { class: "badge", text: "Not started" }));
    buttons.append(el("button", {
      type: "button",
      text: "Start",
      "aria-label": `Start ${template.name}`,
      onclick: () => startNew(template.templateId),
    }));
  }
  if (latest) {
    buttons.append(el("button", {
      type: "button",
      class: "secondary",
      text: "View document",
      "aria-label": `View document ${latest.title ?? template.name}`,
      onclick: () => navigate(`#/document/${latest.documentId}`),
    }));
  }
  if (latest || drafts.length > 0) {
    buttons.append(el("button", {
      type: "button",
      class: "secondary",
      text: "New draft",
      "aria-label": `New draft of ${template.name}`,
      // Beside open drafts it must ask for one; with none, a plain start makes it.
      onclick: () => startNew(template.templateId, { beside: drafts.length > 0 }),
    }));
  }
  return el(
    "li",
    { class: "card", "data-template-id": template.templateId },
    el("h3", { text: template.name }),
    template.description ? el("p", { class: "muted", text: template.description }) : null,
    drafts.length > 0
      ? el(
        "ul",
        { class: "drafts", "aria-label": `Drafts of ${template.name}` },
        ...drafts.map((draft) => draftItem(template, draft, actions)),
      )
      : null,
    status.childNodes.length > 0 ? status : null,
    buttons.childNodes.length > 0 ? buttons : null,
  );
}

/** Renders one document, scrolled to the top, with focus on its heading. */
export async function renderDocument(documentId) {
  const article = $("document-body");
  const error = $("document-error");
  setMessage(error, "");
  article.replaceChildren(el("p", { class: "muted", text: "Loading…" }));
  $("document-downloads").replaceChildren();
  try {
    const doc = await documentsJson(`/documents/${documentId}`);
    // The documents function's renderer (marked, raw HTML shown as text, then sanitize-html).
    article.innerHTML = documentToHtml(doc);
    article.dataset.documentId = doc.id;
    wrapTables(article);
    $("document-downloads").replaceChildren(
      el("span", { class: "muted", "aria-hidden": "true", text: "Download" }),
      ...downloadButtons(doc.id, doc.title, error),
    );
  } catch (problem) {
    article.replaceChildren();
    setMessage(error, `Cannot open the document: ${problem.message}`);
  }
  const heading = article.querySelector("h1, h2") ?? $("document-error");
  heading.tabIndex = -1;
  heading.focus({ preventScroll: true });
  globalThis.scrollTo(0, 0);
}
