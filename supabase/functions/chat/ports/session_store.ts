/** The chat's persistence port: interviews, always on behalf of one user. */
import type { DocumentPreview, Turn } from "../../_shared/wire/protocol.ts";

/** Who the store acts for: the verified claims of the caller's token. */
export type Claims = Record<string, unknown>;

/**
 * One version of a template as the database holds it; questions are validated by whoever
 * interprets them. `version` and `hash` say which published version this is (the AI contract
 * carries them beside the content).
 */
export interface TemplateRecord {
  id: string;
  slug: string;
  name: string;
  description: string;
  questions: unknown[];
  body: string;
  /** The title rule of the template's interviews ("NDA: {{party_a_name}} and ..."), if any. */
  title?: string | null;
  /** The version number, from 1. */
  version: number;
  /** The version's content hash (SHA-256 hex of questions, body and title rule). */
  hash: string;
}

export interface OpenedSession {
  sessionId: string;
  history: Turn[];
  turnCount: number;
  created: boolean;
  /** Orders this connection's claim among all claims: higher is newer. */
  generation: bigint;
  /**
   * The template version the session is pinned to (the one it started on), which can be older
   * than the current one `findTemplate` gave: the interview runs on this one. The Postgres store
   * always has it; without it (a store of fixed templates) the interview keeps the one it has.
   */
  pinned?: TemplateVersion;
}

/** What one version of a template holds; the template's id, slug and name are the same in all. */
export type TemplateVersion = Pick<
  TemplateRecord,
  "version" | "hash" | "title" | "questions" | "body"
>;

export interface LoadedSession {
  templateId: string;
  history: Turn[];
  turnCount: number;
  isComplete: boolean;
  ownedBy: string | null;
  /** The generated document of a complete session. */
  documentId: string | null;
}

/** Identifies a write: the session, the connection that owns it, and the turns it has seen. */
export interface WriteFence {
  sessionId: string;
  connectionId: string;
  expectedTurnCount: number;
}

/** A v2 interview's previewed document, standing while the history has `turnCount` turns. */
export interface Review {
  document: DocumentPreview;
  turnCount: number;
}

export type CompletedDocument =
  | { document: { title: string; content: string; format: string } }
  | { documentId: string };

export type WriteRefusal =
  | "no_user"
  | "not_found"
  | "superseded"
  | "closed"
  | "conflict"
  | "foreign_document"
  | "not_in_review"
  /** More than the database stores: a turn, a call's turns, the session's history. */
  | "too_large"
  /** A document over its maximum (CH414): LIMITS.maxDocumentChars, or a title over 500. */
  | "document_too_large"
  /** A document in a format other than Markdown. */
  | "unsupported_format"
  /** An answer, a document or its title holding an invisible or control character (CH416). */
  | "invisible_character"
  /** A completion or review of a session without any answer. */
  | "no_answer"
  /** A malformed argument: a turn or a document that is not well formed. */
  | "malformed"
  /** A quota of the user's is reached (CH429): see QuotaExceededError. */
  | "quota_exceeded";

/** The quotas the database enforces per user (docs/database.md#quotas). */
export type QuotaName = "open_interviews" | "sessions_per_minute" | "documents_per_day";

/** The database refused a write for a reason the caller can act on. */
export class WriteRefusedError extends Error {
  override name = "WriteRefusedError";
  constructor(readonly reason: WriteRefusal, message: string) {
    super(message);
  }
}

/**
 * The database refused to open or complete a session past a quota of the user's. The message is
 * the database's sentence for the user: which quota, and when to try again.
 */
export class QuotaExceededError extends WriteRefusedError {
  override name = "QuotaExceededError";
  constructor(
    readonly quota: QuotaName,
    message: string,
    /** Absent for open interviews, which free up when the user finishes one. */
    readonly retryAfterSeconds?: number,
  ) {
    super("quota_exceeded", message);
  }
}

/** The database could not be reached, or failed in a way that says nothing about the data. */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}

export interface SessionStore {
  /** The template's current version, as the caller may see it; null when not found or retired. */
  findTemplate(claims: Claims, templateId: string): Promise<TemplateRecord | null>;
  /**
   * Claims the caller's interview for this connection. A reconnect passes the generation it last
   * held, and is refused (`superseded`) when a newer claim of the user exists. Which draft: the
   * open one `sessionId` names (when it is no longer open, as without it), a new one beside the
   * open ones with `newDraft`, else the open one touched last, else a new one.
   */
  openSession(
    claims: Claims,
    templateId: string,
    connectionId: string,
    restart: boolean,
    options?: { heldGeneration?: bigint; sessionId?: string; newDraft?: boolean },
  ): Promise<OpenedSession>;
  /** Whether the caller has a claim newer than `generation`: a reconnect that lost the race. */
  newerClaimExists(claims: Claims, generation: bigint): Promise<boolean>;
  loadSession(claims: Claims, sessionId: string): Promise<LoadedSession | null>;
  /** Appends turns; with `title`, stores the session's title after them in the same call. */
  appendTurns(
    claims: Claims,
    fence: WriteFence,
    turns: readonly Turn[],
    title?: string,
  ): Promise<number>;
  /** Stores the finished document (or links the AI's) and completes the session; its id. */
  completeSession(claims: Claims, fence: WriteFence, result: CompletedDocument): Promise<string>;
  /** The session's review while it stands (v2), or null. */
  loadReview(claims: Claims, sessionId: string): Promise<Review | null>;
  /** Stores the previewed document with the session, fenced like a write. */
  storeReview(claims: Claims, fence: WriteFence, document: DocumentPreview): Promise<void>;
  /** Stores exactly the previewed document and completes the session; its document id. */
  confirmReview(claims: Claims, fence: WriteFence): Promise<string>;
  /** Answers when the database does; throws StoreUnavailableError otherwise. */
  ping(): Promise<void>;
}
