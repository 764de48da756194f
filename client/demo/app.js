// The demo page: sign in (a supabase-js session, api.js), see your documents and interviews, answer an
// interview as a chat, review it, and read and download the finished document. Everything about
// the socket is the ChatClient's job (chat_view.js renders its events); the documents come from
// the documents function (documents_view.js). Plain JavaScript (the DOM is not in the project's
// type libraries); the dev portal bundles it with the client's TypeScript into one module.
import { documentsJson, loadConfig, signedInEmail, signIn, signOut as endSession } from "./api.js";
import { askForNewDraft, ChatView, forgetSession, rememberSession } from "./chat_view.js";
import { $, setMessage } from "./dom.js";
import { renderDocument, renderDocuments } from "./documents_view.js";

const VIEWS = ["sign-in", "documents", "chat", "document"];

/** The signed-in user's email, from the session supabase-js keeps (null: signed out). */
let email = null;
/** @type {ChatView | null} */
let chat = null;
/** Template names by id, from GET /interviews. */
const templateNames = new Map();

async function main() {
  await loadConfig();
  email = await signedInEmail();
  $("sign-in-form").addEventListener("submit", onSignIn);
  $("sign-out").addEventListener("click", signOut);
  $("answer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    chat?.submitAnswer($("answer").value);
  });
  $("retry").addEventListener("click", () => chat?.retry());
  $("take-over").addEventListener("click", () => chat?.takeOver());
  $("confirm").addEventListener("click", () => chat?.confirm());
  $("back").addEventListener("click", () => navigate(""));
  $("document-back").addEventListener("click", () => navigate(""));
  $("restart").addEventListener("click", () => $("restart-dialog").showModal());
  $("restart-dialog").addEventListener("close", () => {
    if ($("restart-dialog").returnValue === "restart" && chat) {
      openChat(chat.templateId, { restart: true });
    }
    $("restart-dialog").returnValue = "";
  });
  globalThis.addEventListener("hashchange", route);
  await route();
}

async function onSignIn(event) {
  event.preventDefault();
  const typed = $("email").value.trim();
  setMessage($("sign-in-error"), "");
  if (!typed) return setMessage($("sign-in-error"), "Please type your email address.");
  if (!$("email").checkValidity()) {
    return setMessage($("sign-in-error"), `"${typed}" is not an email address.`);
  }
  try {
    await signIn(typed);
    email = typed.toLowerCase();
  } catch (error) {
    email = null;
    return setMessage($("sign-in-error"), `Cannot sign in: ${error.message}`);
  }
  await route();
}

async function signOut() {
  closeChat();
  email = null;
  await endSession();
  navigate("");
}

function navigate(hash) {
  if (location.hash === hash || (hash === "" && location.hash === "")) return void route();
  location.hash = hash;
}

function show(view) {
  for (const id of VIEWS) $(id).hidden = id !== view;
  $("account").hidden = !email;
  $("account-email").textContent = email ?? "";
}

/** #/chat/<templateId>, #/document/<documentId>, or the documents view. */
async function route() {
  if (!email) {
    closeChat();
    show("sign-in");
    return $("sign-in-heading").focus();
  }
  const [, view, id] = location.hash.match(/^#\/(chat|document)\/([\w-]+)$/) ?? [];
  if (view === "chat") return await openChat(id);
  closeChat();
  if (view === "document") {
    show("document");
    return await renderDocument(id);
  }
  show("documents");
  $("documents-heading").focus();
  await renderDocuments({
    navigate,
    startNew: (templateId, { beside = false } = {}) => {
      // No session to name: connecting starts a new draft when none is open, and beside the
      // open ones it asks for one.
      if (beside) askForNewDraft(templateId);
      else forgetSession(templateId);
      navigate(`#/chat/${templateId}`);
    },
    resume: (templateId, sessionId) => {
      rememberSession(templateId, sessionId);
      navigate(`#/chat/${templateId}`);
    },
  });
}

async function openChat(templateId, { restart = false } = {}) {
  show("chat");
  // Off the hidden button that opened the chat; the first question then takes the focus.
  $("chat-title").focus();
  if (chat && chat.templateId === templateId && !restart) return;
  closeChat();
  if (!templateNames.has(templateId)) {
    try {
      for (const template of (await documentsJson("/interviews")).templates) {
        templateNames.set(template.templateId, template.name);
      }
    } catch { /* the title falls back; the chat itself says what is wrong */ }
  }
  chat = new ChatView({
    templateId,
    title: templateNames.get(templateId) ?? "Document",
    restart,
    onComplete: (documentId) => {
      chat = null;
      navigate(`#/document/${documentId}`);
    },
  });
}

function closeChat() {
  chat?.close();
  chat = null;
}

main().catch((error) => {
  document.body.prepend(Object.assign(document.createElement("p"), {
    className: "error",
    role: "alert",
    textContent: `The demo failed to start: ${error.message}`,
  }));
});
