/**
 * The title of an open draft as a list shows it: the one the chat stored with the interview
 * (chat_sessions.title, what the user saw in the chat), else the template's title rule filled
 * from the stored history's answers (draft_title.ts), so a draft is titled before the chat ever
 * stored one. A template the engine cannot read gives its name.
 */
import { draftTitle } from "../_shared/template/draft_title.ts";
import { readInterview } from "../_shared/template/interview_state.ts";
import { parseTemplate } from "../_shared/template/template.ts";
import type { Turn } from "../_shared/wire/interview_turn.ts";
import type { StoredTemplate } from "./interview_progress.ts";

export function draftTitleOf(
  stored: StoredTemplate,
  history: readonly Turn[],
  storedTitle: string | null,
): string {
  if (storedTitle !== null && storedTitle.trim() !== "") return storedTitle;
  let template;
  try {
    template = parseTemplate(stored);
  } catch {
    return stored.name;
  }
  return draftTitle(template, readInterview(template, history).answers);
}
