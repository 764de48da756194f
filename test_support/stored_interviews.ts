// Test support for the documents function's tests (not a test itself): interviews on a seeded
// template stored through the chat's own write path (chat_internal, as the caller), driven by the
// real interview engine, so the documents read back are the documents users get.
import type postgres from "postgres";
import { nextStep } from "../supabase/functions/_shared/template/interview_engine.ts";
import { parseTemplate, type Template } from "../supabase/functions/_shared/template/template.ts";
import type { Turn } from "../supabase/functions/_shared/wire/interview_turn.ts";

/** A seeded template (supabase/templates) as the engine reads it. */
export async function seededTemplate(sql: postgres.Sql, slug: string): Promise<Template> {
  const [row] = await sql`
    select id, slug, name, description, title_rule as title, questions, body
    from public.document_templates where slug = ${slug}`;
  if (!row) throw new Error(`Template "${slug}" is not seeded: run the stack's seed`);
  return parseTemplate({ ...row });
}

export interface StoredInterview {
  sessionId: string;
  /** Set when the interview was completed. */
  documentId?: string;
  /** The distinct questions answered. */
  answered: number;
}

/**
 * Answers `template`'s questions from `answers` (question id to the text the user types) as the
 * chat would store them, one assistant and one user turn per question, and with `complete`
 * stores the engine's document and closes the interview. `stopAfter` leaves it open after that
 * many answers; `newDraft` starts a draft beside the user's open ones on the template instead of
 * resuming the newest. Runs every write as the user, through chat_internal.
 */
export async function storeInterview(
  sql: postgres.Sql,
  userId: string,
  template: Template,
  answers: Readonly<Record<string, string>>,
  options: { complete?: boolean; stopAfter?: number; newDraft?: boolean } = {},
): Promise<StoredInterview> {
  const claims = JSON.stringify({ sub: userId, role: "authenticated", aud: "authenticated" });
  const asCaller = async (
    query: (tx: postgres.TransactionSql) => postgres.PendingQuery<postgres.Row[]>,
  ) => {
    const [, rows] = await sql.begin((tx) => [
      tx`select set_config('role', 'authenticated', true),
        set_config('request.jwt.claims', ${claims}, true)`,
      query(tx),
    ]);
    return rows as postgres.RowList<postgres.Row[]>;
  };
  const connection = crypto.randomUUID();
  const [opened] = await asCaller((tx) =>
    tx`select * from chat_internal.open_session(${template.id}, ${connection},
      p_new => ${options.newDraft ?? false})`
  );
  const sessionId: string = opened!.session_id;
  let turnCount: number = opened!.turn_count;
  const history: Turn[] = [...opened!.history];
  let answered = 0;
  for (;;) {
    const step = nextStep(template, history);
    if (step.status === "complete") {
      if (!options.complete) return { sessionId, answered };
      const [done] = await asCaller((tx) =>
        tx`select chat_internal.complete_session(${sessionId}, ${connection}, ${turnCount},
          null, ${JSON.stringify(step.document)}::text::jsonb) as id`
      );
      return { sessionId, documentId: done!.id, answered };
    }
    if (answered === options.stopAfter) return { sessionId, answered };
    const { id, text } = step.nextQuestion;
    const answer = answers[id];
    if (answer === undefined) throw new Error(`No answer for question "${id}"`);
    const at = new Date().toISOString();
    const turns: Turn[] = [
      { role: "assistant", content: text, questionId: id, at },
      { role: "user", content: answer, questionId: id, at },
    ];
    const [appended] = await asCaller((tx) =>
      tx`select chat_internal.append_turns(${sessionId}, ${connection}, ${turnCount},
        ${JSON.stringify(turns)}::text::jsonb) as count`
    );
    turnCount = appended!.count;
    history.push(...turns);
    answered++;
  }
}

/** A 110-character word: no space for a line to break at. */
export const UNBROKEN = "Unbroken" + "x".repeat(99) + "End";

/**
 * Answers to the seeded mutual NDA (supabase/templates/mutual-nda.json) that try every way an
 * answer could become markup, with non-Latin text and long unbroken strings.
 */
export const HOSTILE_NDA_ANSWERS: Readonly<Record<string, string>> = {
  party_a_name: "Acme <script>alert('pwned')</script> Ltd",
  party_a_email: "legal@acme.example",
  party_b_name: `**Beta** <img src=x onerror="alert(1)"> [click](javascript:alert(1)) ${UNBROKEN}`,
  party_b_email: "notices@beta.example",
  effective_date: "April 15, 2026",
  purpose: `Evaluating a | joint | venture & more: ${UNBROKEN}\n\n` +
    "Здравствуйте, Ελληνικά, Tiếng Việt — “quoted” and 你好世界 مرحبا 🙂",
  confidentiality_years: "3",
  governing_law: "Delaware",
  include_non_solicit: "Yes",
  non_solicit_months: "12",
  // Lines and simple lists are kept (multiline_answer_test.ts); every other structure stays text.
  additional_terms:
    "# not a heading\n> not a quote\n| not | a table |\n<b>not bold</b> &amp; `code`",
};
