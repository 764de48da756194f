/**
 * What the interview does when a store call or the question service fails: which phase it is left
 * in, what the user is told, and when the socket closes. Pure: no I/O.
 */
import { closes, refusals, type StoredContentRefusal } from "./refusals.ts";
import type { AiFailure, Phase, StoreFailure } from "./state.ts";
import type { StepDraft } from "./step_draft.ts";

export function onStoreFailed(draft: StepDraft, failure: StoreFailure): void {
  const during = draft.state.phase;
  if (during.name === "opening") return openFailed(draft, failure);
  draft.update({ phase: phaseAfterFailure(during) });
  if (failure.kind === "refused") {
    switch (failure.reason) {
      case "conflict":
        draft.unsync();
        return draft.send(refusals.conflict());
      case "superseded":
      case "closed":
        return draft.shut(closes.superseded);
      case "no_user":
        // The user was deleted mid-interview: their token no longer opens anything.
        return draft.shut(closes.unauthorized);
      case "not_in_review":
        draft.unsync();
        return draft.send(refusals.notInReview());
      case "document_too_large":
        draft.unsync();
        return draft.documentTooLarge(undefined, failure.error);
      case "quota_exceeded":
        // Refused whole, so nothing changed: the session stays open (in review) as it was.
        return quotaExceeded(draft, failure);
      case "too_large":
      case "unsupported_format":
      case "invisible_character":
      case "no_answer":
      case "malformed":
        return notStored(draft, failure.reason, failure.error, during);
      default:
        draft.log("error", "write_refused", { reason: failure.reason });
        return draft.shut(closes.sessionUnavailable);
    }
  }
  if (failure.kind === "unavailable") {
    draft.unsync();
    draft.log("warn", "store_unavailable", { error: failure.message });
    return draft.send(refusals.storageUnavailable());
  }
  draft.log("error", "interview_failed", { error: failure.error });
  draft.shut(closes.internalError);
}

export function onAiFailed(draft: StepDraft, failure: AiFailure): void {
  draft.phase("waiting_for_ai");
  draft.update({ phase: { name: "asking" } });
  draft.log("warn", "ai_error", { status: failure.status, error: failure.error });
  draft.send(failure.kind === "rejected" ? refusals.aiRejected() : refusals.aiUnavailable());
}

/** What the database refused to store; the chat checks all of it first, so this is rare. */
function notStored(
  draft: StepDraft,
  reason: StoredContentRefusal,
  error: string,
  during: Phase,
): void {
  draft.unsync();
  draft.log("warn", "write_refused", { reason, error });
  if (during.name === "completing" || during.name === "storing_review") {
    return draft.send(refusals.documentRefused(reason));
  }
  draft.send(reason === "too_large" ? refusals.sessionFull() : refusals.messageRefused());
}

function openFailed(draft: StepDraft, failure: StoreFailure): void {
  if (failure.kind === "refused" && failure.reason === "quota_exceeded") {
    quotaExceeded(draft, failure, false);
    return draft.shut(closes.quotaExceeded);
  }
  draft.log("error", "session_open_failed", { error: failure.error }, false);
  if (failure.kind === "refused" && failure.reason === "no_user") {
    return draft.shut(closes.unauthorized);
  }
  if (failure.kind === "refused" && failure.reason === "superseded") {
    return draft.shut(closes.superseded);
  }
  draft.shut(closes.internalError);
}

/** A quota of the user's: the database's sentence says which, and when to try again. */
function quotaExceeded(
  draft: StepDraft,
  failure: Extract<StoreFailure, { kind: "refused" }>,
  withSession = true,
): void {
  draft.log("warn", "quota_exceeded", { error: failure.error }, withSession);
  draft.send(refusals.quotaExceeded(failure.quota));
}

/**
 * Where a failed store call leaves the interview, before the failure is read: a write in flight
 * may have landed (unsynced), a confirm returns to its review, anything else to asking.
 */
function phaseAfterFailure(during: Phase): Phase {
  switch (during.name) {
    case "reloading":
    case "storing_answer":
    case "storing_question":
      return { name: "unsynced" };
    case "completing":
      return during.preview ? { name: "in_review", document: during.preview } : { name: "asking" };
    default:
      return { name: "asking" };
  }
}
