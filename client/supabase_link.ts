/**
 * What a ChatClient given the app's supabase-js client follows while it runs: the session's new
 * tokens (handed to the socket in band), a sign-out (which ends the interview), and, when asked,
 * the user's private Realtime topic `user:<uid>` (its broadcasts become the client's events).
 */
import type { ChatClientEventMap } from "./chat_client_types.ts";
import { tokenSubject } from "./jwt.ts";
import { readUserTopicEvent, subscribeUserTopic, type UserTopicEvent } from "./realtime_topic.ts";
import {
  followSessionTokens,
  type RealtimeChannelLike,
  type SupabaseClientLike,
} from "./supabase_adapter.ts";

export interface SupabaseLinkHooks {
  realtime: boolean;
  useToken(token: string): void;
  signedOut(): void;
  /** Whether the client has stopped for good: a late subscription is then not made. */
  closed(): boolean;
  /** The interview now, to tell a topic event of this interview from another's. */
  current(): { sessionId: string; templateId: string };
  emit(type: UserTopicEvent | "error", detail: ChatClientEventMap[UserTopicEvent | "error"]): void;
}

export class SupabaseLink {
  #unfollowSession: (() => void) | undefined;
  #channel: RealtimeChannelLike | undefined;

  constructor(readonly supabase: SupabaseClientLike, readonly hooks: SupabaseLinkHooks) {}

  start(): void {
    this.#unfollowSession = followSessionTokens(
      this.supabase,
      (token) => this.hooks.useToken(token),
      () => this.hooks.signedOut(),
    );
    if (this.hooks.realtime) void this.#subscribeUserTopic();
  }

  /** Leaves the supabase client's events and the topic. */
  stop(): void {
    this.#unfollowSession?.();
    this.#unfollowSession = undefined;
    const channel = this.#channel;
    this.#channel = undefined;
    if (channel) void this.supabase.removeChannel(channel).catch(() => {});
  }

  /** The user's topic, `user:<uid>`, the uid from the session (or its token's `sub`). */
  async #subscribeUserTopic(): Promise<void> {
    const { supabase, hooks } = this;
    let userId: string | null = null;
    try {
      const { data } = await supabase.auth.getSession();
      const session = data.session;
      userId = session?.user?.id ?? (session ? tokenSubject(session.access_token) : null);
    } catch { /* reported below */ }
    if (hooks.closed() || this.#channel) return;
    if (!userId) {
      return hooks.emit("error", {
        source: "client",
        code: "realtime_unavailable",
        message: "Cannot hear the user's other devices: no one is signed in (supabase.auth)",
        retryable: false,
      });
    }
    this.#channel = subscribeUserTopic(supabase, userId, {
      onBroadcast: (event, message) => {
        hooks.emit(event, readUserTopicEvent(event, message, hooks.current()));
      },
      onStatus: (status, error) => {
        if (status !== "CHANNEL_ERROR" && status !== "TIMED_OUT") return;
        hooks.emit("error", {
          source: "client",
          code: "realtime_unavailable",
          message: `Cannot hear the user's other devices on Realtime topic "user:${userId}": ` +
            `${status}${error ? `: ${error.message}` : ""}`,
          retryable: true,
        });
      },
    });
  }
}
