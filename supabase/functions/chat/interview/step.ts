/**
 * The interview as a pure state machine: `step(state, event)` returns the next state and the
 * effects to carry out, in order. No await, no I/O, no clock: time comes in the event. Every turn
 * is stored before it is acted on; the database fences each write by connection and turn count,
 * so the state may hold a stale copy of the history and still never corrupt it. The phase says
 * what may happen next (phases.ts); the texts the user is told are in refusals.ts.
 */
import type { DocumentPreview, Turn } from "../../_shared/wire/protocol.ts";
import { documentOversize } from "../../_shared/document/document_size.ts";
import type { SourcedResult } from "../ports/next_question_source.ts";
import type { LoadedSession, OpenedSession, Review } from "../ports/session_store.ts";
import { resolveTimeZone } from "../../_shared/template/time_zone.ts";
import { editDoesNotApply, viewInterview } from "./answers.ts";
import { answerFits } from "./session_limits.ts";
import {
  type Ask,
  hasAnswer,
  latestEdit,
  pendingAsk,
  pendingQuestion,
  wasAsked,
} from "./history.ts";
import { onAiFailed, onStoreFailed } from "./failures.ts";
import { assertAccepted } from "./phases.ts";
import { closes, type ErrorFrame, refusals } from "./refusals.ts";
import type {
  InterviewContext,
  InterviewEvent,
  InterviewFrame,
  InterviewState,
  Step,
} from "./state.ts";
import { StepDraft } from "./step_draft.ts";

/** The frames that store a user turn: an answer to the pending question, or a v2 edit. */
type AnswerFrame = Extract<InterviewFrame, { type: "user_message" | "edit_answer" }>;

export function initialState(context: InterviewContext): InterviewState {
  return {
    context,
    phase: { name: "starting" },
    sessionId: null,
    history: [],
    turnCount: 0,
    generation: null,
    timeZone: context.timeZone,
  };
}

/** Whether a v2 interview is in review: its preview stands and confirm would store it. */
export function inReview(state: InterviewState): boolean {
  return state.phase.name === "in_review";
}

export function step(state: InterviewState, event: InterviewEvent): Step {
  if (state.phase.name === "closed") return { state, effects: [] };
  assertAccepted(state.phase, event);
  const draft = new StepDraft(state);
  switch (event.type) {
    case "connected":
      onConnected(draft, event.restart);
      break;
    case "frame":
      onFrame(draft, event.frame, event.at);
      break;
    case "session_opened":
      onOpened(draft, event.session, event.review ?? null);
      break;
    case "session_loaded":
      onLoaded(draft, event.session, event.review ?? null, event.at);
      break;
    case "review_stored":
      onReviewStored(draft);
      break;
    case "turns_stored":
      onStored(draft, event.turnCount);
      break;
    case "question_answered":
      onQuestion(draft, event.result, event.at);
      break;
    case "session_completed":
      onCompleted(draft, event.documentId);
      break;
    case "store_failed":
      onStoreFailed(draft, event.failure);
      break;
    case "ai_failed":
      onAiFailed(draft, event.failure);
      break;
  }
  return draft.result();
}

function onConnected(draft: StepDraft, restart: boolean): void {
  draft.await({ name: "opening" }, { kind: "open_session", restart });
}

function onFrame(draft: StepDraft, frame: InterviewFrame, at: string): void {
  if (draft.state.phase.name === "unsynced") {
    return draft.await({ name: "reloading", frame }, {
      kind: "load_session",
      sessionId: draft.sessionId(),
    });
  }
  handleFrame(draft, frame, at);
}

/** Sends what a new or resumed session needs: the history, then the pending question. */
function onOpened(draft: StepDraft, opened: OpenedSession | null, review: Review | null): void {
  if (!opened) return draft.shut(closes.superseded);
  // From here on the interview runs on the version the session is pinned to, which a resume may
  // find older than the current one the handshake read.
  const { context } = draft.state;
  draft.update({
    // The same version keeps the record the handshake read (one record shared by every session
    // on it); only an older one makes a record of its own.
    context: opened.pinned && opened.pinned.hash !== context.template.hash
      ? { ...context, template: { ...context.template, ...opened.pinned } }
      : context,
    sessionId: opened.sessionId,
    history: opened.history,
    turnCount: opened.turnCount,
    generation: opened.generation.toString(),
  });
  draft.update({ phase: draft.waitingPhase(review) });
  if (opened.created) {
    draft.log("info", "session_created");
  } else {
    draft.log("info", "session_resumed", { turns: opened.turnCount });
    const view = draft.v2 ? draft.view() : undefined;
    draft.send({
      type: "session_resumed",
      sessionId: opened.sessionId,
      history: [...opened.history],
      ...(view ? { answers: view.answers, ...draft.marks(view) } : {}),
    });
  }
  draft.askOrRepeat();
}

function onLoaded(
  draft: StepDraft,
  loaded: LoadedSession | null,
  review: Review | null,
  at: string,
): void {
  const { frame } = draft.phase("reloading");
  if (loaded?.isComplete && loaded.documentId) {
    // Completed, but the acknowledgement was lost with the database connection: say so now.
    draft.send({
      type: "session_complete",
      sessionId: draft.sessionId(),
      documentId: loaded.documentId,
    });
    return draft.shut(closes.complete);
  }
  if (!loaded || loaded.isComplete || loaded.ownedBy !== draft.state.context.connectionId) {
    return draft.shut(closes.superseded);
  }
  draft.update({ history: loaded.history, turnCount: loaded.turnCount });
  draft.update({ phase: draft.waitingPhase(review) });
  handleFrame(draft, frame, at);
}

function onStored(draft: StepDraft, turnCount: number): void {
  const phase = draft.state.phase;
  if (phase.name !== "storing_answer" && phase.name !== "storing_question") {
    throw new Error(`Turns were stored while ${phase.name}`);
  }
  draft.update({
    // concat makes the array at its length; a spread leaves room for 16 more turns, which every
    // idle session then holds (BENCHMARKS.md, "Idle memory").
    history: draft.state.history.concat(phase.turns),
    turnCount,
    phase: { name: "asking" },
  });
  if (phase.name === "storing_answer") return draft.askNext();
  draft.sendQuestion(phase.ask);
}

function onReviewStored(draft: StepDraft): void {
  const { document, understood } = draft.phase("storing_review");
  draft.update({ phase: { name: "in_review", document } });
  draft.sendReview(document, understood);
}

function onQuestion(draft: StepDraft, result: SourcedResult, at: string): void {
  draft.phase("waiting_for_ai");
  draft.update({ phase: { name: "asking" } });
  const echo = "understood" in result ? result.understood : undefined;
  const understood = draft.v2 && echo ? { understood: echo } : {};
  if (result.status === "in_progress") {
    const { id, text, problem, ...details } = result.nextQuestion;
    // After an edit the engine answers what comes next; the edited question again, with a
    // problem, means the edit was not accepted: the client keeps its editor open on it.
    const edit = draft.v2 ? latestEdit(draft.state.history) : undefined;
    const editing = edit !== undefined && edit.questionId === id && problem !== undefined;
    // A v1 turn stays as it always was; a v2 turn keeps what a resumed v2 client is told.
    const v2 = draft.v2
      ? {
        ...(Object.keys(details).length > 0 ? { details } : {}),
        ...(result.progress ? { progress: result.progress } : {}),
        ...(problem ? { problem } : {}),
        ...(editing ? { editing: true } : {}),
      }
      : {};
    const turn: Turn = {
      role: "assistant",
      content: text,
      questionId: id,
      at,
      source: result.source,
      ...v2,
    };
    const ask: Ask = {
      ...pendingAsk([turn])!,
      ...understood,
      ...(edit !== undefined && !editing ? { afterEdit: true } : {}),
    };
    return draft.append({ name: "storing_question", turns: [turn], ask });
  }
  // Refused before anything is stored: the one maximum of a stored document.
  const oversize = "document" in result ? documentOversize(result.document) : undefined;
  if (oversize) return draft.documentTooLarge(oversize);
  if (draft.v2 && "document" in result) {
    // v2 opens the review: the preview is stored with the session, nothing is generated yet.
    const document: DocumentPreview = { ...result.document };
    return draft.await({ name: "storing_review", document, ...understood }, {
      kind: "store_review",
      fence: draft.fence(),
      document,
    });
  }
  draft.await({ name: "completing", preview: null }, {
    kind: "complete_session",
    fence: draft.fence(),
    result: "document" in result
      ? { document: result.document }
      : { documentId: result.documentId },
  });
}

function onCompleted(draft: StepDraft, documentId: string): void {
  draft.phase("completing");
  draft.log("info", "session_completed", { documentId });
  draft.send({ type: "session_complete", sessionId: draft.sessionId(), documentId });
  draft.shut(closes.complete);
}

function handleFrame(draft: StepDraft, frame: InterviewFrame, at: string): void {
  switch (frame.type) {
    case "user_message":
    case "edit_answer":
      return answer(draft, frame, at);
    case "retry":
      return draft.askOrRepeat();
    case "ping":
      return draft.send({ type: "pong", ...(frame.id ? { id: frame.id } : {}) });
    case "confirm":
      return confirm(draft);
  }
}

/**
 * An answer to the pending question, or (v2) an edit of one already asked: a resend is answered
 * as the first one was, a refused one is told why, anything else is stored before it is acted on.
 */
function answer(draft: StepDraft, frame: AnswerFrame, at: string): void {
  const { history } = draft.state;
  if (frame.clientMessageId && hasAnswer(history, frame.clientMessageId)) {
    // A resend of an answer already stored: answer it the same way, store nothing.
    draft.log("debug", "answer_resent");
    return draft.askOrRepeat();
  }
  const target = answeredQuestion(draft, frame);
  if (typeof target !== "string") return draft.send(target);
  if (draft.v2) timeZoneOf(draft, frame);
  const turn: Turn = {
    role: "user",
    content: frame.content,
    questionId: target,
    at,
    ...(frame.type === "edit_answer" ? { edit: true } : {}),
    ...(frame.clientMessageId ? { clientMessageId: frame.clientMessageId } : {}),
  };
  if (!answerFits(history, turn)) return draft.send(refusals.sessionFull());
  // The title follows the answers: stored with the answer, in the same call. A v1 session's is
  // stored too (the documents' cards show it); only v2 frames carry it.
  const title = titleAfter(draft, turn);
  draft.append({ name: "storing_answer", turns: [turn] }, title);
}

/** The session's title once `turn` is stored; undefined when the engine cannot read the template. */
function titleAfter(draft: StepDraft, turn: Turn): string | undefined {
  const { context, history, timeZone } = draft.state;
  return viewInterview(context.template, [...history, turn], timeZone).title;
}

/** The answer frame's time zone, when it names one this runtime knows; else the one held. */
function timeZoneOf(draft: StepDraft, frame: AnswerFrame): void {
  const tz = frame.type === "user_message" || frame.type === "edit_answer" ? frame.tz : undefined;
  if (tz !== undefined && resolveTimeZone(tz) === tz) draft.update({ timeZone: tz });
}

/** The question an answer or an edit is for, or why it is refused. */
function answeredQuestion(draft: StepDraft, frame: AnswerFrame): string | ErrorFrame {
  const { history, context } = draft.state;
  if (frame.type === "edit_answer") {
    if (!wasAsked(history, frame.questionId)) return refusals.unknownQuestion(frame.questionId);
    if (editDoesNotApply(context.template, history, frame.questionId)) {
      // Stored, it would change nothing the user sees: say so and store nothing.
      return refusals.questionNotApplicable(frame.questionId);
    }
    return frame.questionId;
  }
  const pending = pendingQuestion(history);
  if (!pending && inReview(draft.state)) return refusals.nothingToAnswerInReview();
  if (!pending) return refusals.nothingToAnswer();
  if (frame.questionId !== undefined && frame.questionId !== pending.id) {
    return refusals.staleQuestion(frame.questionId, pending.id);
  }
  return pending.id;
}

/** v2: stores exactly the previewed document; only in review. */
function confirm(draft: StepDraft): void {
  const phase = draft.state.phase;
  if (phase.name !== "in_review") return draft.send(refusals.notInReview());
  draft.await({ name: "completing", preview: phase.document }, {
    kind: "confirm_review",
    fence: draft.fence(),
  });
}
