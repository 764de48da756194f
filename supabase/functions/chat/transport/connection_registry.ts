/** One open WebSocket connection, as the registry sees it. */
export interface RegisteredConnection {
  readonly connectionId: string;
  readonly userId: string;
  /** Whether an interview is attached and still running. */
  readonly active: boolean;
  /** The claim's generation once the session is open (see ConnectionClaim). */
  readonly generation: bigint | undefined;
  close(code: number, reason: string): void;
}

/**
 * The connections of this process, with "last connection wins" per user: registering a user's
 * new connection closes their previous one first.
 */
export class ConnectionRegistry {
  #all = new Set<RegisteredConnection>();
  #byUser = new Map<string, RegisteredConnection>();

  /** Adds a connection; returns the one it superseded, already told to close. */
  register(connection: RegisteredConnection, supersede: (old: RegisteredConnection) => void) {
    const previous = this.#byUser.get(connection.userId);
    this.#byUser.set(connection.userId, connection);
    this.#all.add(connection);
    if (previous && previous !== connection) supersede(previous);
    return previous;
  }

  remove(connection: RegisteredConnection): void {
    this.#all.delete(connection);
    if (this.#byUser.get(connection.userId) === connection) this.#byUser.delete(connection.userId);
  }

  current(userId: string): RegisteredConnection | undefined {
    return this.#byUser.get(userId);
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
