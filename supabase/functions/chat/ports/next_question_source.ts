/** The chat's "what to ask next" port: the AI service, or the built-in engine. */
import type {
  Progress,
  ProtocolVersion,
  Question,
  Turn,
  Understood,
} from "../../_shared/wire/protocol.ts";
import type { TemplateRecord } from "./session_store.ts";

/** What the chat asks for (the AI contract): the session plus the additive fields. */
export interface NextQuestionRequest {
  sessionId: string;
  templateId: string;
  history: readonly Turn[];
  template: TemplateRecord;
  /** v2 additions: the latest answer to each question, and the connection's protocol. */
  answers?: Record<string, string>;
  protocol?: ProtocolVersion;
  /** v2, second round: the client's IANA time zone, for relative dates; absent: UTC. */
  tz?: string;
}

/** The question to ask, with the v2 details an AI service may give (`problem` on a re-ask). */
export type NextQuestion = Question & { problem?: string };

export type NextQuestionResult =
  | {
    status: "in_progress";
    nextQuestion: NextQuestion;
    progress?: Progress;
    /** The latest answer as the engine stored it, when it read it differently from the typing. */
    understood?: Understood;
  }
  | {
    status: "complete";
    document: { title: string; content: string; format: "markdown" };
    understood?: Understood;
  }
  | { status: "complete"; documentId: string };

/** A result, with which engine produced it. */
export type SourcedResult = NextQuestionResult & { source: "ai" | "builtin" };

export interface NextQuestionSource {
  next(request: NextQuestionRequest): Promise<SourcedResult>;
}

/** The AI service could not be reached or answered badly; asking again may work. */
export class AiUnavailableError extends Error {
  override name = "AiUnavailableError";
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/** The AI service refused the request (4xx); asking again the same way will not help. */
export class AiRejectedError extends Error {
  override name = "AiRejectedError";
  constructor(message: string, readonly status: number) {
    super(message);
  }
}
