// The documents view (the caller's finished documents and, per template, the interview in
// progress or the finished ones) and the document view, both read from the documents function.
import { documentToHtml } from "../../supabase/functions/_shared/document/markdown_html.ts";
import { documentsJson, downloadDocument } from "./api.js";
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
 * Renders the documents view. `navigate(hash)` changes the view; `startNew(templateId)` opens a
 * new interview of a template whose earlier ones are finished.
 */
export async function renderDocuments({ navigate, startNew }) {
  const error = $("documents-error");
  setMessage(error, "");
  let documents = [];
  let templates = [];
  try {
    [documents, { templates }] = await Promise.all([
      allDocuments(),
      documentsJson("/interviews"),
    ]);
  } catch (problem) {
    setMessage(error, `Cannot load your documents: ${problem.message}`);
  }
  $("finished-empty").hidden = documents.length > 0;
  $("finished-list").replaceChildren(...documents.map((doc) => finishedCard(doc, navigate)));
  $("template-list").replaceChildren(
    ...templates.filter((t) => t.active).map((t) => templateCard(t, { navigate, startNew })),
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

function finishedCard(doc, navigate) {
  const errorLine = el("p", { class: "error", role: "alert", hidden: true });
  return el(
    "li",
    { class: "card", "data-document-id": doc.id },
    el(
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
    ),
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
    errorLine,
  );
}

function templateCard(template, { navigate, startNew }) {
  const latest = template.finished[0];
  const status = el("p", { class: "meta" });
  const actions = el("div", { class: "actions" });
  const open = () => navigate(`#/chat/${template.templateId}`);
  if (template.open) {
    const { answered, total } = template.open.progress;
    status.append(
      el("span", { class: "badge in-progress", text: "In progress" }),
      ` ${answered} of ${total} questions answered · last change `,
      timeElement(template.open.updatedAt),
    );
    actions.append(el("button", { type: "button", text: "Continue", onclick: open }));
  } else if (latest) {
    status.append(
      el("span", { class: "badge finished", text: "Finished" }),
      " ",
      timeElement(latest.createdAt),
    );
  } else {
    status.append(el("span", { class: "badge", text: "Not started" }));
    actions.append(el("button", { type: "button", text: "Start", onclick: open }));
  }
  if (latest) {
    actions.append(
      el("button", {
        type: "button",
        class: template.open ? "secondary" : null,
        text: "View document",
        onclick: () => navigate(`#/document/${latest.documentId}`),
      }),
    );
    if (!template.open) {
      actions.append(
        el("button", {
          type: "button",
          class: "secondary",
          text: "Start a new one",
          onclick: () => startNew(template.templateId),
        }),
      );
    }
  }
  return el(
    "li",
    { class: "card", "data-template-id": template.templateId },
    el("h3", { text: template.name }),
    template.description ? el("p", { class: "muted", text: template.description }) : null,
    status,
    actions,
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
