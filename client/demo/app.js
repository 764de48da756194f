// The demo page: sign in with a local token, pick a template, answer the interview as a chat,
// read the finished document. Everything about the socket is the ChatClient's job; this file
// only renders its events. Plain JavaScript (the DOM is not in the project's type libraries);
// the dev portal bundles it with the client's TypeScript into one browser module.
import { ChatClient } from "../chat_client.ts";
import {
  documentToHtml,
  escapeHtml,
} from "../../supabase/functions/_shared/document/markdown_html.ts";

const EMAIL_KEY = "demo.email";
// The session last seen per template, so that a reload right after the last answer still learns
// that the interview completed (ChatClient's sessionId option).
const sessionKey = (templateId) => `demo.session.${templateId}`;
const $ = (id) => document.getElementById(id);

let config = { chatUrl: "", devTokens: false };
let email = localStorage.getItem(EMAIL_KEY);
let accessToken = "";
let templates = [];
/** @type {ChatClient | null} */
let client = null;
let clientTemplateId = "";

async function main() {
  config = await (await fetch("/dev/config")).json();
  $("sign-in-form").addEventListener("submit", onSignIn);
  $("sign-out").addEventListener("click", signOut);
  $("answer-form").addEventListener("submit", onAnswer);
  $("answer").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("answer-form").requestSubmit();
    }
  });
  $("retry").addEventListener("click", () => client?.retry());
  $("back").addEventListener("click", () => navigate(""));
  $("document-back").addEventListener("click", () => navigate(""));
  $("restart").addEventListener("click", () => openChat(clientTemplateId, { restart: true }));
  globalThis.addEventListener("hashchange", route);
  await route();
}

/** Asks the local stack for a fresh token for the signed-in email (POST /dev/token). */
async function fetchToken() {
  if (!config.devTokens) throw new Error("The dev token endpoint is off");
  const response = await fetch("/dev/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  accessToken = body.accessToken;
  return accessToken;
}

async function authorizedJson(path) {
  if (!accessToken) await fetchToken();
  let response = await fetch(path, { headers: { authorization: `Bearer ${accessToken}` } });
  if (response.status === 401) {
    await fetchToken();
    response = await fetch(path, { headers: { authorization: `Bearer ${accessToken}` } });
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

async function onSignIn(event) {
  event.preventDefault();
  email = $("email").value.trim();
  $("sign-in-error").hidden = true;
  try {
    await fetchToken();
    localStorage.setItem(EMAIL_KEY, email);
    await route();
  } catch (error) {
    email = null;
    $("sign-in-error").textContent = `Cannot sign in: ${error.message}`;
    $("sign-in-error").hidden = false;
  }
}

function signOut() {
  closeChat();
  localStorage.removeItem(EMAIL_KEY);
  email = null;
  accessToken = "";
  navigate("");
}

function navigate(hash) {
  if (location.hash === hash || (hash === "" && location.hash === "")) return void route();
  location.hash = hash;
}

function show(section) {
  for (const id of ["sign-in", "templates", "chat", "document"]) $(id).hidden = id !== section;
  $("account").hidden = !email;
  $("account-email").textContent = email ?? "";
}

/** #/chat/<templateId>, #/document/<documentId>, or the template list. */
async function route() {
  if (!email) {
    closeChat();
    return show("sign-in");
  }
  const [, view, id] = location.hash.match(/^#\/(chat|document)\/([\w-]+)$/) ?? [];
  if (view === "chat") return await openChat(id);
  closeChat();
  if (view === "document") return await showDocument(id);
  await showTemplates();
}

async function showTemplates() {
  show("templates");
  templates = (await authorizedJson("/dev/templates")).templates;
  const list = $("template-list");
  list.replaceChildren(...templates.map((template) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.templateId = template.id;
    button.innerHTML = `<span class="name">${escapeHtml(template.name)}</span>
      <span class="meta">${escapeHtml(template.description)}
      · ${template.questionCount} questions</span>`;
    button.addEventListener("click", () => navigate(`#/chat/${template.id}`));
    item.append(button);
    return item;
  }));
}

async function openChat(templateId, { restart = false } = {}) {
  show("chat");
  if (client && clientTemplateId === templateId && !restart) return;
  closeChat();
  if (templates.length === 0) {
    templates = (await authorizedJson("/dev/templates")).templates;
  }
  const template = templates.find((t) => t.id === templateId);
  $("chat-title").textContent = template?.name ?? "Document";
  $("transcript").replaceChildren();
  hideError();
  setInputEnabled(false);

  clientTemplateId = templateId;
  client = new ChatClient({
    url: config.chatUrl,
    // The page renders v1's frames (no review step yet); the SDK's default became v2.
    protocol: "v1",
    templateId,
    restart,
    sessionId: sessionStorage.getItem(sessionKey(templateId)) ?? undefined,
    getToken: (reason) => reason === "connect" && accessToken ? accessToken : fetchToken(),
  });
  client.on("state", renderState);
  const keepSession = ({ sessionId }) => sessionStorage.setItem(sessionKey(templateId), sessionId);
  client.on("resumed", keepSession);
  client.on("question", keepSession);
  client.on("resumed", ({ history }) => {
    $("transcript").replaceChildren();
    for (const turn of history) {
      addBubble(turn.role, turn.content, { questionId: turn.questionId });
    }
    addBubble("notice", "Resumed where you left off");
    const pending = client?.pendingAnswer;
    if (pending) addBubble("user", pending.content, { pending: true });
  });
  client.on("question", ({ question, repeated }) => {
    for (const bubble of $("transcript").querySelectorAll(".pending")) {
      bubble.classList.remove("pending");
    }
    hideError();
    if (!repeated) addBubble("assistant", question.text, { questionId: question.id });
    setInputEnabled(true);
  });
  client.on("error", ({ message, retryable, source }) => {
    for (const bubble of $("transcript").querySelectorAll(".pending")) {
      bubble.classList.remove("pending");
    }
    showError(message, retryable && source === "server");
    setInputEnabled(client?.question !== null && !retryable);
  });
  client.on("complete", ({ documentId }) => {
    sessionStorage.removeItem(sessionKey(templateId));
    closeChat();
    navigate(`#/document/${documentId}`);
  });
  client.connect();
}

function closeChat() {
  client?.close();
  client = null;
  clientTemplateId = "";
}

function onAnswer(event) {
  event.preventDefault();
  const content = $("answer").value.trim();
  if (!content || !client) return;
  try {
    client.answer(content);
  } catch (error) {
    return showError(error.message, false);
  }
  $("answer").value = "";
  addBubble("user", content, { pending: true });
  setInputEnabled(false);
}

function addBubble(role, text, { pending = false, questionId } = {}) {
  const item = document.createElement("li");
  item.className = pending ? "bubble pending" : "bubble";
  item.dataset.role = role;
  if (questionId) item.dataset.questionId = questionId;
  item.textContent = text;
  $("transcript").append(item);
  item.scrollIntoView({ block: "end" });
}

const CLOSED_MESSAGES = {
  1000: "Interview complete",
  1008: "Disconnected: too many or invalid messages",
  4500: "Signed out: please sign in again",
  4504: "This document is not available",
  4509: "Continued in another tab or device",
};

function renderState({ state, code, delayMs, attempt }) {
  const status = $("status");
  status.dataset.state = state;
  if (state === "connecting") status.textContent = "Connecting…";
  if (state === "open") status.textContent = "Connected";
  if (state === "reconnecting") {
    status.textContent = `Reconnecting in ${Math.ceil(delayMs / 1000)} s (attempt ${attempt})`;
    setInputEnabled(false);
  }
  if (state === "closed") {
    status.textContent = CLOSED_MESSAGES[code] ?? `Disconnected (${code})`;
    setInputEnabled(false);
  }
}

function setInputEnabled(enabled) {
  $("answer").disabled = !enabled;
  $("send").disabled = !enabled;
  if (enabled) $("answer").focus();
}

function showError(message, retryable) {
  $("chat-error-text").textContent = message;
  $("retry").hidden = !retryable;
  $("chat-error").hidden = false;
}

function hideError() {
  $("chat-error").hidden = true;
}

async function showDocument(documentId) {
  show("document");
  const article = $("document-body");
  article.textContent = "Loading…";
  try {
    const doc = await authorizedJson(`/dev/documents/${documentId}`);
    // The documents function's renderer (marked, raw HTML shown as text, then sanitize-html):
    // Markdown is rendered, plain text and HTML documents are shown as their text.
    article.innerHTML = documentToHtml(doc);
    article.dataset.documentId = doc.id;
  } catch (error) {
    article.textContent = `Cannot load the document: ${error.message}`;
  }
}

main().catch((error) => {
  document.body.prepend(Object.assign(document.createElement("p"), {
    className: "error",
    textContent: `The demo failed to start: ${error.message}`,
  }));
});
