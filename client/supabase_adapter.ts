/**
 * What the client uses of a supabase-js client (`createClient` of `@supabase/supabase-js` 2.x),
 * typed by its shape: the SDK takes the app's own client as an argument and never imports or
 * bundles the library. From it come the access token (`auth.getSession()`), the token's refreshes
 * (`auth.onAuthStateChange`), the chat's URL (the client's project URL + `/functions/v1/chat`)
 * and, when asked, the user's private Realtime topic (realtime_topic.ts).
 */
import type { TokenReason } from "./chat_client_types.ts";

/** The part of a supabase-js Session the client reads. */
export interface SupabaseSessionLike {
  access_token: string;
  user?: { id: string } | null;
}

export interface SupabaseAuthLike {
  getSession(): Promise<{ data: { session: SupabaseSessionLike | null }; error: unknown }>;
  /** Present in supabase-js: asked after the server refused the token as expired (4001). */
  refreshSession?(): Promise<{ data: { session: SupabaseSessionLike | null }; error: unknown }>;
  onAuthStateChange(
    callback: (event: string, session: SupabaseSessionLike | null) => void,
  ): { data: { subscription: { unsubscribe(): void } } };
}

/** A broadcast as supabase-js hands it to a `broadcast` listener. */
export interface BroadcastMessage {
  event: string;
  payload?: unknown;
}

export interface RealtimeChannelLike {
  on(
    type: "broadcast",
    filter: { event: string },
    callback: (message: BroadcastMessage) => void,
  ): RealtimeChannelLike;
  subscribe(callback?: (status: string, error?: Error) => void): RealtimeChannelLike;
}

export interface SupabaseClientLike {
  auth: SupabaseAuthLike;
  channel(name: string, options: { config: { private: boolean } }): RealtimeChannelLike;
  removeChannel(channel: RealtimeChannelLike): Promise<unknown>;
}

/** The auth events that carry a new access token for the open socket. */
const TOKEN_EVENTS = new Set(["TOKEN_REFRESHED", "SIGNED_IN"]);

/**
 * The chat's URL under the client's project URL, as hosted and the local gateway lay it out:
 * `https://<ref>.supabase.co` -> `wss://<ref>.supabase.co/functions/v1/chat`. supabase-js keeps
 * the URL it was made with as `supabaseUrl` (a protected field in its types, so it is read here
 * and not declared in SupabaseClientLike, which the library's class would then not satisfy).
 */
export function chatUrlOf(supabase: SupabaseClientLike): URL {
  const base = (supabase as unknown as { supabaseUrl?: unknown }).supabaseUrl;
  if (typeof base !== "string" || base === "") {
    throw new TypeError(
      "Cannot create a chat client: the supabase client has no supabaseUrl (is it made by " +
        "createClient of @supabase/supabase-js?); pass url as well",
    );
  }
  let url: URL;
  try {
    url = new URL("functions/v1/chat", base.endsWith("/") ? base : `${base}/`);
  } catch {
    throw new TypeError(`Cannot create a chat client: supabaseUrl "${base}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`Cannot create a chat client: supabaseUrl "${base}" is not http(s)`);
  }
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url;
}

/**
 * getToken over the library's session: the current access token, which supabase-js refreshes
 * when it is near expiry; after a 4001 close, a refreshed one.
 */
export function sessionTokenSource(
  supabase: SupabaseClientLike,
): (reason: TokenReason) => Promise<string> {
  return async (reason) => {
    const auth = supabase.auth;
    const { data, error } = reason === "expired" && auth.refreshSession
      ? await auth.refreshSession()
      : await auth.getSession();
    if (error) throw new Error(`supabase.auth could not give a session: ${describe(error)}`);
    const token = data.session?.access_token;
    if (!token) {
      throw new Error("no one is signed in (supabase.auth has no session): sign the user in first");
    }
    return token;
  };
}

/**
 * Follows the library's auth events: each new access token (TOKEN_REFRESHED, SIGNED_IN) goes to
 * `onToken`, a sign-out to `onSignedOut`. Returns the unsubscribe. The callback must not await
 * supabase.auth itself (the library holds its lock while it runs), so it only hands values on.
 */
export function followSessionTokens(
  supabase: SupabaseClientLike,
  onToken: (token: string) => void,
  onSignedOut: () => void,
): () => void {
  const { data } = supabase.auth.onAuthStateChange((event, session) => {
    if (TOKEN_EVENTS.has(event) && session?.access_token) onToken(session.access_token);
    else if (event === "SIGNED_OUT") onSignedOut();
  });
  return () => data.subscription.unsubscribe();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
