// Compares a stored interview with what its client was told was accepted: exactly the
// questions q1..qN, each followed by its answer, nothing lost, nothing twice.
import type postgres from "postgres";

export interface HistoryVerdict {
  /** Answers the client had acknowledged that are missing from the stored history. */
  lost: number;
  /** Turns stored more than once. */
  duplicated: number;
  /** Empty when the history is exactly the expected one; else what differs. */
  problems: string[];
}

/** The history an interview of `questionCount` short-text questions must end with. */
export function expectedHistory(questionCount: number, answer: (questionId: string) => string) {
  return Array.from({ length: questionCount }, (_, i) => [
    ["assistant", `q${i + 1}`, `Question ${i + 1}?`],
    ["user", `q${i + 1}`, answer(`q${i + 1}`)],
  ]).flat();
}

export async function checkStoredInterview(
  sql: postgres.Sql,
  sessionId: string,
  questionCount: number,
  answer: (questionId: string) => string,
): Promise<HistoryVerdict> {
  const [row] = await sql`
    select s.history, s.turn_count, s.is_complete, d.content
    from chat_sessions s left join generated_documents d on d.session_id = s.id
    where s.id = ${sessionId}`;
  const problems: string[] = [];
  if (!row) return { lost: questionCount, duplicated: 0, problems: ["session not found"] };
  const history = row.history as { role: string; questionId?: string; content: string }[];
  const stored = history.map((t) => [t.role, t.questionId, t.content]);
  const expected = expectedHistory(questionCount, answer);
  const seen = new Set<string>();
  let duplicated = 0;
  for (const [role, questionId] of stored) {
    const key = `${role}:${questionId}`;
    if (seen.has(key)) duplicated++;
    seen.add(key);
  }
  const lost =
    expected.filter(([role, id, content]) =>
      role === "user" && !stored.some((s) => s[0] === role && s[1] === id && s[2] === content)
    ).length;
  if (JSON.stringify(stored) !== JSON.stringify(expected)) {
    problems.push(`history differs: ${JSON.stringify(stored).slice(0, 400)}`);
  }
  if (row.turn_count !== history.length) problems.push(`turn_count ${row.turn_count}`);
  if (!row.is_complete) problems.push("not complete");
  const document = Array.from(
    { length: questionCount },
    (_, i) => `q${i + 1}: ${answer(`q${i + 1}`)}`,
  )
    .join("\n");
  if (row.content !== document) {
    problems.push(`document differs: ${String(row.content).slice(0, 200)}`);
  }
  return { lost, duplicated, problems };
}
