/** One open WebSocket connection, as the registry sees it. */
export interface RegisteredConnection {
  readonly connectionId: string;
  readonly userId: string;
  /** Whether an interview is attached and still running. */
  readonly active: boolean;
  /** The claim's generation once the session is open (see ConnectionClaim). */
  readonly generation: bigint | undefined;
  /** The session's id once it is open. */
  readonly sessionId: string | undefined;
  close(code: number, reason: string): void;
}

/**
 * The connections of this process, with "last connection wins" per user: registering a user's
 * new connection closes their previous one first.
 */
export class ConnectionRegistry {
  #all = new Set<RegisteredConnection>();
  #byUser = new Map<string, RegisteredConnection>();
  #byId = new Map<string, RegisteredConnection>();

  /** Adds a connection; returns the one it superseded, already told to close. */
  register(connection: RegisteredConnection, supersede: (old: RegisteredConnection) => void) {
    const previous = this.#byUser.get(connection.userId);
    this.#byUser.set(connection.userId, connection);
    this.#all.add(connection);
    this.#byId.set(connection.connectionId, connection);
    if (previous && previous !== connection) supersede(previous);
    return previous;
  }

  remove(connection: RegisteredConnection): void {
    this.#all.delete(connection);
    if (this.#byId.get(connection.connectionId) === connection) {
      this.#byId.delete(connection.connectionId);
    }
    if (this.#byUser.get(connection.userId) === connection) this.#byUser.delete(connection.userId);
  }

  current(userId: string): RegisteredConnection | undefined {
    return this.#byUser.get(userId);
  }

  byId(connectionId: string): RegisteredConnection | undefined {
    return this.#byId.get(connectionId);
  }

  /** The connections whose interview is running on an open session: what a poll asks about. */
  owned(): { sessionId: string; connectionId: string }[] {
    const owned = [];
    for (const connection of this.#all) {
      if (connection.active && connection.sessionId) {
        owned.push({ sessionId: connection.sessionId, connectionId: connection.connectionId });
      }
    }
    return owned;
  }

  all(): RegisteredConnection[] {
    return [...this.#all];
  }

  stats(): { total: number; active: number } {
    let active = 0;
    for (const connection of this.#all) if (connection.active) active++;
    return { total: this.#all.size, active };
  }
}
