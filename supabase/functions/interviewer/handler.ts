/**
 * The reference AI service over HTTP: `POST .../v1/chat/next-question` (docs/ai_service.md) and
 * `GET .../health`. Routes match the end of the path, so the same handler serves
 * `/functions/v1/interviewer/v1/chat/next-question` hosted and `/v1/chat/next-question` locally.
 */
import { nextStep } from "../_shared/template/interview_engine.ts";
import { todayAt } from "../_shared/template/date_rules.ts";
import { calendarDayIn, resolveTimeZone } from "../_shared/template/time_zone.ts";
import { turnSchema } from "../_shared/wire/interview_turn.ts";
import { describeError, type Logger } from "../_shared/platform/logger.ts";
import { jsonResponse } from "../_shared/platform/json_response.ts";
import { parseTemplate } from "../_shared/template/template.ts";
import { createApiKeyCheck } from "./api_key.ts";
import {
  type NextQuestionRequest,
  parseNextQuestionRequest,
  readJsonBody,
} from "./next_question_request.ts";
import type { SessionReader, StoredInterview } from "./session_reader.ts";

export interface InterviewerDeps {
  /** The bearer key callers must present (AI_SERVICE_API_KEY). */
  apiKey: string;
  /** Reads stored sessions for sessionId-only requests; without it those get 400. */
  sessions?: SessionReader;
  log: Logger;
  now?: () => Date;
}

export type Handler = (request: Request) => Promise<Response>;

/** Builds the handler. No input makes it answer 500: every failure is mapped to a status. */
export function createInterviewerHandler(deps: InterviewerDeps): Handler {
  const isAuthorized = createApiKeyCheck(deps.apiKey);
  const now = deps.now ?? (() => new Date());

  async function nextQuestion(request: Request): Promise<Response> {
    if (!await isAuthorized(request.headers.get("authorization"))) {
      await request.body?.cancel();
      return json(401, { error: "Unauthorized", code: "unauthorized" }, {
        "www-authenticate": 'Bearer realm="interviewer"',
      });
    }
    const body = await readJsonBody(request);
    if (!body.ok) return json(body.status, { error: body.message, code: body.code });
    const parsed = parseNextQuestionRequest(body.value);
    if (!parsed.ok) return json(parsed.status, { error: parsed.message, code: parsed.code });

    let stored: StoredInterview;
    const input = parsed.value;
    if (input.mode === "stateless") {
      stored = { template: input.template as Record<string, unknown>, history: input.history };
    } else {
      if (!deps.sessions) {
        return json(400, {
          error: 'This interviewer has no database: send "template" and "history"',
          code: "stateless_only",
        });
      }
      let found: StoredInterview | null;
      try {
        found = await deps.sessions.read(input.sessionId);
      } catch (error: unknown) {
        deps.log.error("session_read_failed", {
          sessionId: input.sessionId,
          error: describeError(error),
        });
        return json(503, {
          error: "The session could not be read; try again",
          code: "database_unavailable",
        });
      }
      if (!found) {
        return json(404, {
          error: `Session "${input.sessionId}" not found`,
          code: "session_not_found",
        });
      }
      stored = found;
    }
    return interview(stored, input);
  }

  function interview(stored: StoredInterview, input: NextQuestionRequest): Response {
    const { mode, sessionId, protocol, tz } = input;
    const started = performance.now();
    const history = turnSchema.array().safeParse(stored.history);
    if (!history.success) {
      return json(422, { error: "The stored history is malformed", code: "invalid_history" });
    }
    let step;
    try {
      step = nextStep(parseTemplate(stored.template), history.data, {
        protocol,
        today: todayOf(now(), tz),
        ...(tz === undefined ? {} : { timeZone: tz }),
      });
    } catch (error: unknown) {
      // parseTemplate's TypeError names the template and the problem.
      const message = error instanceof Error ? error.message : String(error);
      deps.log.warn("template_refused", { sessionId, mode, error: message });
      return json(422, { error: message, code: "invalid_template" });
    }
    deps.log.info("next_question", {
      sessionId,
      mode,
      status: step.status,
      protocol,
      questionId: step.status === "in_progress" ? step.nextQuestion.id : undefined,
      progress: step.progress,
      latencyMs: Math.round(performance.now() - started),
    });
    return json(200, step);
  }

  async function route(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname.replace(/\/+$/, "");
    if (path.endsWith("/v1/chat/next-question")) {
      if (request.method !== "POST") return methodNotAllowed("POST");
      return await nextQuestion(request);
    }
    if (path.endsWith("/health")) {
      if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed("GET");
      return json(200, {
        status: "healthy",
        sessionMode: deps.sessions !== undefined,
        timestamp: now().toISOString(),
      });
    }
    return json(404, { error: `No route for "${path || "/"}"`, code: "not_found" });
  }

  return async (request) => {
    try {
      return await route(request);
    } catch (error: unknown) {
      // A bug, not an input: every input-dependent failure above has its own status.
      deps.log.error("request_failed", { error: describeError(error) });
      return json(500, { error: "Internal error", code: "internal" });
    }
  };
}

/**
 * Today for date rules: where the person is when the request says a known zone; otherwise in
 * the earliest zone, so a date that is today anywhere is never taken for the past.
 */
function todayOf(now: Date, tz: string | undefined): string {
  const known = tz !== undefined && resolveTimeZone(tz) === tz;
  return (known ? calendarDayIn(now.getTime(), tz) : undefined) ?? todayAt(now);
}

function methodNotAllowed(allow: string): Response {
  return json(405, { error: `Use ${allow}`, code: "method_not_allowed" }, { allow });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, body, { "cache-control": "no-store", ...headers });
}
