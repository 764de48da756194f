// The page's HTTP calls: the local sign-in (POST /dev/token on the dev portal) and the documents
// function (its lists and downloads), always with the signed-in user's Bearer token. A 401 gets
// one fresh token and one more try.

/** @type {{ chatUrl: string, documentsUrl: string, devTokens: boolean }} */
export const config = {
  chatUrl: "",
  documentsUrl: "",
  devTokens: false,
  heartbeatIntervalMs: undefined,
  heartbeatTimeoutMs: undefined,
};
const session = { email: "", accessToken: "" };

export async function loadConfig() {
  Object.assign(config, await (await fetch("/dev/config")).json());
}

export function setEmail(email) {
  session.email = email ?? "";
  session.accessToken = "";
}

export function currentToken() {
  return session.accessToken;
}

/** Asks the local stack for a fresh token for the signed-in email. */
export async function fetchToken() {
  if (!config.devTokens) throw new Error("the local sign-in is turned off (DEV_PORTAL)");
  const response = await fetch("/dev/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: session.email }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  session.accessToken = body.accessToken;
  return session.accessToken;
}

/**
 * A request to the documents function with the user's token (GET unless `method` says
 * otherwise, `body` sent as JSON); throws with the function's error sentence.
 */
async function documentsFetch(path, { method = "GET", body } = {}) {
  if (!session.accessToken) await fetchToken();
  const url = `${config.documentsUrl.replace(/\/$/, "")}${path}`;
  const get = () =>
    fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${session.accessToken}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  let response;
  try {
    response = await get();
    if (response.status === 401) {
      await fetchToken();
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

export async function documentsJson(path) {
  return await (await documentsFetch(path)).json();
}

/** Renames one of the user's documents; answers the stored title. */
export async function renameDocument(documentId, title) {
  const response = await documentsFetch(`/documents/${documentId}`, {
    method: "PATCH",
    body: { title },
  });
  return (await response.json()).title;
}

/** Deletes one of the user's documents (and the finished interview it came from). */
export async function deleteDocument(documentId) {
  await documentsFetch(`/documents/${documentId}`, { method: "DELETE" });
}

/** Discards one of the user's open drafts. */
export async function discardDraft(sessionId) {
  await documentsFetch(`/interviews/${sessionId}`, { method: "DELETE" });
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

/** Downloads one document in one format: fetched with the token, saved through a blob link. */
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
