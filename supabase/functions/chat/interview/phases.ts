/**
 * Which event each phase of the interview accepts: the one place that says what may happen next.
 * A phase waiting for the client takes frames; a phase with an effect in flight takes that
 * effect's answers; a closed interview ignores everything. Pure: no I/O.
 */
import type { InterviewEvent, Phase, PhaseName } from "./state.ts";

type EventType = InterviewEvent["type"];

/** A store call may fail in every phase that waits for one. */
const STORE_ANSWERS = ["store_failed"] as const;

export const ACCEPTED_EVENTS: { readonly [P in PhaseName]: readonly EventType[] } = {
  starting: ["connected"],
  opening: ["session_opened", ...STORE_ANSWERS],
  asking: ["frame"],
  in_review: ["frame"],
  unsynced: ["frame"],
  reloading: ["session_loaded", ...STORE_ANSWERS],
  storing_answer: ["turns_stored", ...STORE_ANSWERS],
  waiting_for_ai: ["question_answered", "ai_failed"],
  storing_question: ["turns_stored", ...STORE_ANSWERS],
  storing_review: ["review_stored", ...STORE_ANSWERS],
  completing: ["session_completed", ...STORE_ANSWERS],
  closed: [],
};

/** Whether the interview waits for the client, with no effect in flight. */
export function waitsForClient(phase: Phase): boolean {
  return phase.name === "asking" || phase.name === "in_review" || phase.name === "unsynced";
}

/**
 * Refuses an event the phase does not accept: a bug in the runner, not anything a client can
 * cause (frames reach the interview one at a time, and only while it waits for the client).
 */
export function assertAccepted(phase: Phase, event: InterviewEvent): void {
  if (!ACCEPTED_EVENTS[phase.name].includes(event.type)) {
    throw new Error(`The interview cannot take "${event.type}" while ${phase.name}`);
  }
}
