// The page's session and HTTP calls, through supabase-js as a Supabase web app makes them: the
// client is made with the project URL (locally the gateway, http://127.0.0.1:54321) and its anon
// key; it keeps the session in localStorage and refreshes it. Signing in is the one local part:
// the dev portal mints a session (POST /dev/session) that the page hands to
// `supabase.auth.setSession`, and the portal's Auth stand-in behind the gateway's /auth/v1 answers
// the library's checks and refreshes. Hosted, the app's own sign-in replaces POST /dev/session and
// nothing else changes. The documents function is called with `supabase.functions.invoke`
// (/functions/v1/documents/...), downloads with the same URL layout and the session's token.
import { createClient } from "@supabase/supabase-js";

/**
 * @type {{ supabaseUrl: string, anonKey: string, chatUrl: string, documentsUrl: string,
 *   devTokens: boolean, heartbeatIntervalMs?: number, heartbeatTimeoutMs?: number }}
 */
export const config = {
  supabaseUrl: "",
  anonKey: "",
  chatUrl: "",
  documentsUrl: "",
  devTokens: false,
  heartbeatIntervalMs: undefined,
  heartbeatTimeoutMs: undefined,
};
/** @type {import("@supabase/supabase-js").SupabaseClient | null} */
let supabase = null;

export async function loadConfig() {
  Object.assign(config, await (await fetch("/dev/config")).json());
  if (!config.supabaseUrl || !config.anonKey) {
    throw new Error("the dev portal gave no project URL or anon key (DEV_PORTAL_SUPABASE_URL)");
  }
  supabase = createClient(config.supabaseUrl, config.anonKey, {
    auth: { detectSessionInUrl: false },
  });
}

/** The page's supabase-js client (made by loadConfig). */
export function supabaseClient() {
  if (!supabase) throw new Error("the page's configuration is not loaded yet");
  return supabase;
}

/** The signed-in user's email, from the session supabase-js kept; null when signed out. */
export async function signedInEmail() {
  const { data } = await supabaseClient().auth.getSession();
  return data.session?.user.email ?? null;
}

/** Signs in locally: the dev portal mints the session, supabase-js takes it over. */
export async function signIn(email) {
  if (!config.devTokens) throw new Error("the local sign-in is turned off (DEV_PORTAL)");
  const response = await fetch("/dev/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  const { error } = await supabaseClient().auth.setSession({
    access_token: body.access_token,
    refresh_token: body.refresh_token,
  });
  if (error) throw new Error(error.message);
}

export async function signOut() {
  // "local": this tab's session; the stand-in keeps nothing to revoke.
  await supabaseClient().auth.signOut({ scope: "local" });
}

/** The session's access token, refreshed by supabase-js when it is close to expiry. */
export async function fetchToken() {
  const { data, error } = await supabaseClient().auth.getSession();
  if (error || !data.session) throw new Error("you are signed out: please sign in again");
  return data.session.access_token;
}

/** The documents function's path for a page path: "/interviews" -> "documents/interviews". */
function functionPath(path) {
  return path.startsWith("/documents") ? path.slice(1) : `documents${path}`;
}

/**
 * A call of the documents function through supabase.functions.invoke, answering its JSON (null
 * for a 204): GET unless `method` says otherwise, `body` sent as JSON.
 */
export async function documentsJson(path, { method = "GET", body } = {}) {
  const call = () =>
    supabaseClient().functions.invoke(functionPath(path), {
      method,
      ...(body === undefined ? {} : { body }),
    });
  let { data, error, response } = await call();
  if (response?.status === 401) {
    // The token was refused (expired while the tab slept): one refresh, one more try.
    await supabaseClient().auth.refreshSession();
    ({ data, error, response } = await call());
  }
  if (!error) return data;
  if (!response) throw new Error("the documents service cannot be reached; is it running?");
  const answer = await response.json().catch(() => ({}));
  throw new Error(
    answer.error ?? answer.message ?? `the documents service answered ${response.status}`,
  );
}

/** Renames one of the user's documents; answers the stored title. */
export async function renameDocument(documentId, title) {
  return (await documentsJson(`/documents/${documentId}`, { method: "PATCH", body: { title } }))
    .title;
}

/** Deletes one of the user's documents (and the finished interview it came from). */
export async function deleteDocument(documentId) {
  await documentsJson(`/documents/${documentId}`, { method: "DELETE" });
}

/** Discards one of the user's open drafts. */
export async function discardDraft(sessionId) {
  await documentsJson(`/interviews/${sessionId}`, { method: "DELETE" });
}

/** GET a download with the session's token; throws with the function's error sentence. */
async function documentsFetch(path) {
  const url = `${config.documentsUrl.replace(/\/$/, "")}${path}`;
  const get = async () =>
    fetch(url, { headers: { authorization: `Bearer ${await fetchToken()}` } });
  let response;
  try {
    response = await get();
    if (response.status === 401) {
      await supabaseClient().auth.refreshSession();
      response = await get();
    }
  } catch {
    throw new Error("the documents service cannot be reached; is it running?");
  }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.error ?? `the documents service answered ${response.status}`);
  }
  return response;
}

/** The file name a download names in Content-Disposition (the UTF-8 form preferred). */
function fileName(response, fallback) {
  const header = response.headers.get("content-disposition") ?? "";
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (utf8) {
    try {
      return decodeURIComponent(utf8[1]);
    } catch { /* fall through to the ASCII name */ }
  }
  return /filename="([^"]+)"/i.exec(header)?.[1] ?? fallback;
}

/**
 * Downloads one document in one format, fetched with the token and saved through a blob link
 * (invoke would read a DOCX as text, and hides Content-Disposition's name from the blob).
 */
export async function downloadDocument(documentId, format) {
  const response = await documentsFetch(`/documents/${documentId}?format=${format}`);
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = fileName(response, `document.${format}`);
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}
