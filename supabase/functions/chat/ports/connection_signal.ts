/** The chat's cross-instance signalling port: who claimed a user's interview last. */

/** A connection's claim of a user's interview, as every chat instance hears of it. */
export interface ConnectionClaim {
  userId: string;
  connectionId: string;
  /** Higher is newer; drawn in the database while the session's row lock is held. */
  generation: bigint;
}

export interface ConnectionSignal {
  subscribe(onClaim: (claim: ConnectionClaim) => void): Promise<void>;
  close(): Promise<void>;
}
