/**
 * The built-in question engine as a NextQuestionSource, and the fallback that asks it when the
 * configured AI service stays unavailable.
 */
import { nextStep } from "../../_shared/template/interview_engine.ts";
import type { Logger } from "../../_shared/platform/logger.ts";
import {
  AiRejectedError,
  AiUnavailableError,
  type NextQuestionSource,
} from "../ports/next_question_source.ts";
import { parseTemplate } from "../../_shared/template/template.ts";

/**
 * Runs `parseTemplate` and `nextStep` in-process; results carry `source: "builtin"`.
 *
 * A template the engine cannot interpret is refused with `AiRejectedError` (status 422), the
 * status the reference interviewer answers over HTTP: asking again will not help.
 */
export function createBuiltinNextQuestionSource(): NextQuestionSource {
  return {
    next(request) {
      try {
        const template = parseTemplate(request.template);
        // The day of the latest turn (the answer just stored) in the client's zone is today.
        const zone = request.tz === undefined ? {} : { timeZone: request.tz };
        const step = request.protocol
          ? nextStep(template, request.history, { protocol: request.protocol, ...zone })
          : nextStep(template, request.history, zone);
        return Promise.resolve({ ...step, source: "builtin" });
      } catch (error: unknown) {
        const message = error instanceof Error ? error.message : String(error);
        return Promise.reject(new AiRejectedError(message, 422));
      }
    },
  };
}

export interface FallbackOptions {
  log?: Logger;
  /**
   * After the primary failed, ask the built-in engine directly for this long, so an outage
   * costs the primary's timeouts and retries once, not on every question. 0 turns it off.
   */
  cooldownMs?: number;
  /** Milliseconds since an epoch, for tests. */
  now?: () => number;
}

/**
 * Asks `primary` (the AI service, which retries on its own) and, when it throws
 * `AiUnavailableError`, asks `builtin` instead, so an interview never stalls on an outage.
 *
 * `AiRejectedError` (a 4xx) is passed on, not covered up: it means the service is
 * misconfigured (a wrong key answers 401) or refuses this request on purpose, and answering
 * from another engine would hide that from the logs for as long as it lasts.
 */
export function createFallbackNextQuestionSource(
  primary: NextQuestionSource,
  builtin: NextQuestionSource,
  options: FallbackOptions = {},
): NextQuestionSource {
  const cooldownMs = options.cooldownMs ?? 0;
  const now = options.now ?? Date.now;
  let skipPrimaryUntil = Number.NEGATIVE_INFINITY;

  return {
    async next(request) {
      if (now() < skipPrimaryUntil) {
        options.log?.debug("ai_fallback_cooling_down", { sessionId: request.sessionId });
        return await builtin.next(request);
      }
      try {
        return await primary.next(request);
      } catch (error: unknown) {
        if (!(error instanceof AiUnavailableError)) throw error;
        skipPrimaryUntil = now() + cooldownMs;
        options.log?.warn("ai_fallback_to_builtin", {
          sessionId: request.sessionId,
          status: error.status,
          error: error.message,
        });
        return await builtin.next(request);
      }
    },
  };
}
