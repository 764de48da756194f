/**
 * The client SDK's public types: its options, connection states, events and the frames it waits
 * on. Types only, so the model, the connection and the front share them without a cycle.
 */
import type { BackoffOptions } from "./backoff.ts";
import type { SupabaseClientLike } from "./supabase_adapter.ts";
import type { ProtocolVersion } from "../supabase/functions/_shared/wire/constants.ts";
import type {
  Answer,
  DocumentPreview,
  Progress,
  Question,
  Turn,
} from "../supabase/functions/_shared/wire/protocol.ts";

export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/** Why the client asks the app for a token. */
export type TokenReason =
  /** The first connection. */
  | "connect"
  /** The token expires soon; the socket stays open and gets the new one. */
  | "refresh"
  /** The server refused the token as expired (close 4001), or it expired while offline. */
  | "expired";

/** The subset of the standard WebSocket the client uses, so a runtime without a global one can pass its own. */
export interface WebSocketLike {
  readonly readyState: number;
  /** The subprotocol the server chose in its 101 response ("" for none); read once open. */
  readonly protocol?: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export type WebSocketFactory = new (url: string, protocols: string[]) => WebSocketLike;

export interface ChatClientOptions {
  /**
   * The app's supabase-js client (`createClient(SUPABASE_URL, key)`). The client then reads the
   * access token from `supabase.auth.getSession()`, hands each refreshed token
   * (`onAuthStateChange`: TOKEN_REFRESHED, SIGNED_IN) to the open socket in band, closes on
   * SIGNED_OUT, and connects to `<SUPABASE_URL>/functions/v1/chat` (ws/wss). `url` and
   * `getToken`, when given too, win.
   */
  supabase?: SupabaseClientLike;
  /**
   * With `supabase`: also subscribe to the user's private Realtime topic `user:<uid>`, and report
   * what the user's other tabs and devices did as `interview_completed`, `superseded` and
   * `interview_discarded` events. Default false.
   */
  realtime?: boolean;
  /**
   * The chat endpoint: `wss://<ref>.supabase.co/functions/v1/chat`, locally
   * `ws://127.0.0.1:54321/functions/v1/chat`. Required without `supabase`.
   */
  url?: string | URL;
  templateId: string;
  /**
   * The protocol to speak. "v2" (the default) offers the subprotocol `chat.v2`: structured
   * questions with progress and problem, `edit()`, the review and `confirm()`. "v1" offers
   * `chat.v1`: questions are id and text, and the interview completes after the last answer.
   * The server has the last word: `ChatClient.protocol` is the one it chose for the connection.
   */
  protocol?: ProtocolVersion;
  /**
   * Supplies a user access token; called to connect, before expiry, and after a 4001 close.
   * Required without `supabase`.
   */
  getToken?(reason: TokenReason): string | Promise<string>;
  /** Abandon the open session of this template and start over (first connection only). */
  restart?: boolean;
  /**
   * Start a new draft beside the user's open ones on this template (first connection only); the
   * reconnects continue that draft. Ignored with `restart` or `sessionId`.
   */
  newDraft?: boolean;
  /**
   * The session this user was last in on this template, if the app kept it (the `sessionId` of
   * a `question` or `resumed` event, saved across a page reload, say). The first connection names
   * it, as every reconnect does, so an interview that completed while the page was gone is
   * reported as `complete` instead of a new one starting; an open draft it names is continued
   * (rather than the one touched last), which is how a page continues one of several drafts.
   * Ignored with `restart`.
   */
  sessionId?: string;
  /**
   * v2: the person's IANA time zone ("Europe/Berlin"), sent with every answer and edit, so that
   * "tomorrow" and "next Monday" are read against today where they are. UTC when absent.
   */
  tz?: string;
  backoff?: BackoffOptions;
  /** Reconnect attempts in a row before giving up. Default: never give up. */
  maxReconnectAttempts?: number;
  /** Ask for a new token this long before the current one expires. Default 60 000 ms. */
  refreshLeadMs?: number;
  /** Send an application ping after this much silence; 0 turns heartbeats off. Default 25 000. */
  heartbeatIntervalMs?: number;
  /** Treat the connection as dead when a ping gets no frame back within this. Default 10 000. */
  heartbeatTimeoutMs?: number;
  /** The WebSocket implementation; the global one by default. */
  WebSocket?: WebSocketFactory;
  /** Random numbers in [0, 1) for the backoff's jitter. */
  random?: () => number;
}

export interface StateDetail {
  state: ConnectionState;
  previous: ConnectionState;
  /** The close code that caused a `reconnecting` or `closed` state. */
  code?: number;
  reason?: string;
  /** For `reconnecting`: the attempt number (1 for the first) and the delay before it. */
  attempt?: number;
  delayMs?: number;
}

/**
 * v2, second round (each where the server sends it): the answer as stored when it was read
 * differently from what was typed, the interview's title, and a refused edit asked again.
 */
export interface SecondRoundDetail {
  /** The answer just stored, as stored ("next Monday" as "December 14, 2026"). */
  understood?: { questionId: string; answer: string };
  /** The interview's title by the template's rule ("NDA: Acme Ltd and Beta GmbH"). */
  title?: string;
}

/**
 * v2: a current answer; `applies: false` when its question no longer applies (the value kept),
 * `skipped: true` for an optional question the person skipped.
 */
export type AnswerDetail = Answer & { applies?: boolean; skipped?: boolean };

/** v2: a question with the answer's maximum length, when the server says it. */
export type QuestionDetail = Question & { maxLength?: number };

export interface ChatClientEventMap {
  state: StateDetail;
  /**
   * An existing session was resumed; `history` is the whole conversation so far, `answers` the
   * current answer to each question that applies, in question order (v2; empty on v1).
   */
  resumed: { sessionId: string; history: Turn[]; answers: AnswerDetail[]; title?: string };
  /**
   * A question to answer. `repeated` is true when it is the question last seen (in a question
   * event or at the end of a resumed history) and no answer was acknowledged since: the server
   * asking again after a reconnect, which a UI need not show twice. In v2 the question carries
   * its details (type, options, hint, required, min, max, currency), `progress` says how far the
   * interview is, and `problem` why the question is asked again.
   */
  question: SecondRoundDetail & {
    sessionId: string;
    question: QuestionDetail;
    repeated: boolean;
    progress?: Progress & { current?: number };
    problem?: string;
    /** A refused edit of this question, asked again with `problem`: the editor stays open. */
    editing?: boolean;
    /** After an edit: every answered question, each marked whether it applies now. */
    answers?: AnswerDetail[];
  };
  /**
   * v2: every question that applies is answered. `document` is a preview, nothing is stored yet:
   * `confirm()` stores exactly it, `edit()` changes an answer first.
   */
  review: SecondRoundDetail & {
    sessionId: string;
    answers: AnswerDetail[];
    document: DocumentPreview;
  };
  complete: { sessionId: string; documentId: string };
  /**
   * An error frame from the server (`source: "server"`) or a problem in the client. With
   * `quota_exceeded`, `retryAfterSeconds` is when the quota frees up by itself; a refused
   * connect is then closed with 4529, after which the client does not reconnect: connect again
   * (a new ChatClient) no sooner than that.
   */
  error: {
    message: string;
    code?: string;
    retryable?: boolean;
    retryAfterSeconds?: number;
    source: "server" | "client";
  };
  /** The server accepted a refreshed token. */
  token_refreshed: { expiresAt: string };
  /** Every frame from the server, parsed, before the client acts on it. */
  message: Record<string, unknown>;
  /**
   * `realtime: true`: an interview of this user completed, here or on another tab or device
   * (Broadcast on `user:<uid>`). `sameInterview`: it is this client's interview.
   */
  interview_completed: UserTopicDetail & { documentId: string };
  /**
   * `realtime: true`: a newer connection of this user took an interview over (`reason`
   * "claimed") or restarted it ("restarted"). This client's own socket also closes with 4509.
   */
  superseded: UserTopicDetail & { reason: string };
  /** `realtime: true`: an open draft of this user was discarded (the documents function). */
  interview_discarded: UserTopicDetail;
}

/** What every broadcast on the user's topic names. */
export interface UserTopicDetail {
  sessionId: string;
  templateId: string;
  /** The broadcast is about this client's interview (its session, else its template). */
  sameInterview: boolean;
}

/** The options once the client has resolved where to connect and how to get a token. */
export type ResolvedChatClientOptions = ChatClientOptions & {
  url: string | URL;
  getToken(reason: TokenReason): string | Promise<string>;
};

export type Listener<K extends keyof ChatClientEventMap> = (detail: ChatClientEventMap[K]) => void;

/** A frame that waits for the server's acknowledgement, resent after a reconnect until then. */
export type PendingMessage =
  | {
    type: "user_message";
    clientMessageId: string;
    content: string;
    questionId?: string;
    tz?: string;
  }
  | {
    type: "edit_answer";
    clientMessageId: string;
    questionId: string;
    content: string;
    tz?: string;
  }
  | { type: "confirm"; clientMessageId: string };

/** The review as the client holds it while it stands. */
export type ReviewDetail = ChatClientEventMap["review"];

/** What goes wrong on the client's side, reported as an `error` event with `source: "client"`. */
export type ClientError = Omit<ChatClientEventMap["error"], "source">;
