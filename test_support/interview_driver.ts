// A patient client that drives one interview to completion through faults, the way a real
// client should: `retry` on ai_unavailable, the same answer with the same clientMessageId on
// storage_unavailable, and a reconnect with backoff on 1006/1011/1012/1013 that names the session
// (`sessionId`), so that a completion lost with the connection is reported, as the SDK does.
import { connect, type Message, type TestClient } from "./ws_client.ts";

export interface DriverCounts {
  connections: number;
  reconnects: number;
  answersSent: number;
  /** Answers sent again with the same clientMessageId. */
  resends: number;
  /** `retry` frames sent. */
  retries: number;
  aiUnavailable: number;
  storageUnavailable: number;
  resumed: number;
  /** Resumes whose last stored turn was an answer: the process died mid-turn. */
  resumedMidTurn: number;
  completed: number;
  /** Completions reported at once to a reconnect: their session_complete had been lost. */
  completedOnReconnect: number;
  /** Close codes that made the client reconnect, and how often. */
  closes: Record<string, number>;
}

export function newDriverCounts(): DriverCounts {
  return {
    connections: 0,
    reconnects: 0,
    answersSent: 0,
    resends: 0,
    retries: 0,
    aiUnavailable: 0,
    storageUnavailable: 0,
    resumed: 0,
    resumedMidTurn: 0,
    completed: 0,
    completedOnReconnect: 0,
    closes: {},
  };
}

export interface DriveOptions {
  /** Where the chat function listens now; asked again before every reconnect. */
  baseUrl: () => string;
  token: string;
  templateId: string;
  /** The answer this client gives to a question. */
  answer: (questionId: string) => string;
  /** Prefix of the clientMessageIds. */
  label: string;
  /** Milliseconds to "think" before each answer. */
  thinkMs?: () => number;
  timeoutMs?: number;
  counts?: DriverCounts;
}

export interface DriveResult {
  sessionId: string;
  documentId: string;
  /** Question ids in the order they were asked. */
  asked: string[];
}

// 0: Deno reports a connection reset by the peer without a close frame as code 0.
const RECONNECT_CODES = new Set([0, 1005, 1006, 1011, 1012, 1013]);

/** Drives one interview until session_complete; throws on anything a client cannot recover. */
export async function driveInterview(options: DriveOptions): Promise<DriveResult> {
  const counts = options.counts ?? newDriverCounts();
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const asked: string[] = [];
  let sessionId = "";
  let outstanding: { questionId: string; content: string; clientMessageId: string } | null = null;
  let failures = 0;
  const backoff = () => sleep(Math.min(2_000, 50 * 2 ** Math.min(failures++, 6)) * Math.random());

  for (let attempt = 0;; attempt++) {
    if (Date.now() > deadline) throw new Error(`${options.label}: no completion in time`);
    if (attempt > 0) {
      counts.reconnects++;
      await backoff();
    }
    counts.connections++;
    const client = connect(options.baseUrl(), {
      token: options.token,
      templateId: options.templateId,
      ...(sessionId ? { sessionId } : {}),
    });
    const send = (message: unknown) => {
      if (client.socket.readyState === WebSocket.OPEN) client.send(message);
    };
    const sendAnswer = () => send({ type: "user_message", ...outstanding });
    try {
      for (;;) {
        let message: Message;
        try {
          message = await client.next(undefined, Math.max(1, deadline - Date.now()));
        } catch (error: unknown) {
          if (client.socket.readyState !== WebSocket.CLOSED) throw error;
          break; // closed: decide below
        }
        if (message.sessionId && sessionId && message.sessionId !== sessionId) {
          throw new Error(
            `${options.label}: session changed from ${sessionId} to ${message.sessionId}`,
          );
        }
        if (message.sessionId) sessionId = message.sessionId;
        switch (message.type) {
          case "session_resumed": {
            counts.resumed++;
            const history = message.history as { role: string; clientMessageId?: string }[];
            if (history.at(-1)?.role === "user") counts.resumedMidTurn++;
            if (
              outstanding && history.some((t) => t.clientMessageId === outstanding!.clientMessageId)
            ) {
              outstanding = null; // stored before the connection went away
            }
            break;
          }
          case "next_question": {
            failures = 0;
            const id = message.question.id as string;
            if (outstanding && outstanding.questionId !== id) outstanding = null; // acknowledged
            if (!asked.includes(id)) asked.push(id);
            if (outstanding) {
              counts.resends++;
              sendAnswer();
              break;
            }
            const think = options.thinkMs?.() ?? 0;
            if (think > 0) await sleep(think);
            outstanding = {
              questionId: id,
              content: options.answer(id),
              clientMessageId: `${options.label}-${id}`,
            };
            counts.answersSent++;
            sendAnswer();
            break;
          }
          case "session_complete": {
            counts.completed++;
            if (attempt > 0 && client.received.length === 1) counts.completedOnReconnect++;
            const closed = await client.closed;
            if (closed.code !== 1000) {
              throw new Error(`${options.label}: completion closed ${closed.code}`);
            }
            return { sessionId, documentId: message.documentId, asked };
          }
          case "error": {
            if (message.code === "ai_unavailable" || message.code === "ai_rejected") {
              counts.aiUnavailable++;
              await backoff();
              counts.retries++;
              send({ type: "retry" });
            } else if (message.code === "storage_unavailable" || message.code === "conflict") {
              counts.storageUnavailable++;
              await backoff();
              if (outstanding) {
                counts.resends++;
                sendAnswer();
              } else {
                counts.retries++;
                send({ type: "retry" });
              }
            } else if (message.code === "no_pending_question") {
              await backoff();
              counts.retries++;
              send({ type: "retry" });
            } else {
              throw new Error(`${options.label}: unexpected error ${JSON.stringify(message)}`);
            }
            break;
          }
        }
      }
      const closed = await client.closed;
      const key = `${closed.code} ${closed.reason}`.trim();
      counts.closes[key] = (counts.closes[key] ?? 0) + 1;
      if (!RECONNECT_CODES.has(closed.code)) {
        throw new Error(`${options.label}: closed with ${closed.code} ${closed.reason}`);
      }
    } finally {
      await closeQuietly(client);
    }
  }
}

async function closeQuietly(client: TestClient): Promise<void> {
  try {
    await client.close();
  } catch { /* already gone */ }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
