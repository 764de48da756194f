/**
 * The user's private Realtime topic, `user:<uid>`, on which the database broadcasts (Broadcast
 * from Database, in the same transaction) what the user's other tabs and devices did:
 * `interview_completed`, `superseded` and `interview_discarded`. Subscribed through the app's
 * supabase-js client; reading a broadcast into the client's event is pure.
 */
import type { ChatClientEventMap } from "./chat_client_types.ts";
import type {
  BroadcastMessage,
  RealtimeChannelLike,
  SupabaseClientLike,
} from "./supabase_adapter.ts";

export const USER_TOPIC_EVENTS = [
  "interview_completed",
  "superseded",
  "interview_discarded",
] as const;
export type UserTopicEvent = typeof USER_TOPIC_EVENTS[number];

/** The Realtime topic of a user, as the database's `realtime.send` names it. */
export function userTopic(userId: string): string {
  return `user:${userId}`;
}

/**
 * Subscribes to the user's topic as a private channel (the policy on realtime.messages lets only
 * that user in). `onBroadcast` gets each of the three events; `onStatus` the channel's status
 * ("SUBSCRIBED", "CHANNEL_ERROR", "TIMED_OUT", "CLOSED"), with the library's error if any.
 */
export function subscribeUserTopic(
  supabase: SupabaseClientLike,
  userId: string,
  handlers: {
    onBroadcast(event: UserTopicEvent, message: BroadcastMessage): void;
    onStatus?(status: string, error?: Error): void;
  },
): RealtimeChannelLike {
  const channel = supabase.channel(userTopic(userId), { config: { private: true } });
  for (const event of USER_TOPIC_EVENTS) {
    channel.on("broadcast", { event }, (message) => handlers.onBroadcast(event, message));
  }
  channel.subscribe((status, error) => handlers.onStatus?.(status, error));
  return channel;
}

/**
 * The client's event for a broadcast; `sameInterview` says whether it is about the interview this
 * client holds (its session, or its template while no session is known yet).
 */
export function readUserTopicEvent<K extends UserTopicEvent>(
  event: K,
  message: BroadcastMessage,
  current: { sessionId: string; templateId: string },
): ChatClientEventMap[K] {
  const payload = typeof message.payload === "object" && message.payload !== null
    ? message.payload as Record<string, unknown>
    : {};
  const sessionId = typeof payload.sessionId === "string" ? payload.sessionId : "";
  const templateId = typeof payload.templateId === "string" ? payload.templateId : "";
  const sameInterview = current.sessionId !== ""
    ? sessionId === current.sessionId
    : templateId === current.templateId;
  const base = { sessionId, templateId, sameInterview };
  switch (event) {
    case "interview_completed":
      return {
        ...base,
        documentId: typeof payload.documentId === "string" ? payload.documentId : "",
      } as ChatClientEventMap[K];
    case "superseded":
      return {
        ...base,
        reason: typeof payload.reason === "string" ? payload.reason : "",
      } as ChatClientEventMap[K];
    default:
      return base as ChatClientEventMap[K];
  }
}
