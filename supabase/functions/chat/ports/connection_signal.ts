/** The chat's cross-instance signalling port: who claimed a user's interview last. */

/** A connection's claim of a user's interview, as every chat instance hears of it. */
export interface ConnectionClaim {
  userId: string;
  connectionId: string;
  /** Higher is newer; drawn in the database while the session's row lock is held. */
  generation: bigint;
}

/** A connection of this process and the session it holds, once that session is open. */
export interface OwnedSession {
  sessionId: string;
  connectionId: string;
}

/** What a signal that asks (rather than listens) needs from the process. */
export interface SupersedeWatch {
  /** The process's connections whose session is open, as of now. */
  owned(): OwnedSession[];
  /** These connections no longer own their sessions: a newer connection took them. */
  onSuperseded(connectionIds: string[]): void;
}

/**
 * A signal either hears claims (onClaim: LISTEN/NOTIFY) or asks about the owned sessions
 * (watch: a poll that works through a transaction pooler); each adapter uses the one it needs.
 */
export interface ConnectionSignal {
  /** Which mechanism runs, for the logs: "listen" or "poll". */
  readonly kind?: string;
  subscribe(onClaim: (claim: ConnectionClaim) => void, watch: SupersedeWatch): Promise<void>;
  close(): Promise<void>;
}
