/**
 * The documents function's reads: plain selects run as `authenticated` with the caller's claims
 * (asUser), so row level security alone decides what a caller sees. A document of another user
 * is not found, exactly as a missing one.
 */
import type postgres from "postgres";
import type { Sql, TransactionSql } from "../_shared/platform/database.ts";
import { asUser } from "../_shared/platform/user_database.ts";
import type { StoredFormat } from "../_shared/document/markdown.ts";
import { draftTitleOf } from "./draft_title_of.ts";
import { encodeCursor, type PageCursor } from "./page_cursor.ts";
import {
  type InterviewProgress,
  interviewProgress,
  type StoredTemplate,
} from "./interview_progress.ts";

export interface DocumentSummary {
  id: string;
  title: string;
  format: StoredFormat;
  templateId: string;
  /** null when the template is no longer active (RLS hides inactive templates). */
  templateName: string | null;
  sessionId: string | null;
  /** ISO 8601 in UTC, to the microsecond. */
  createdAt: string;
}

export interface DocumentRecord extends DocumentSummary {
  content: string;
}

export interface DocumentPage {
  documents: DocumentSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface FinishedInterview {
  documentId: string;
  sessionId: string | null;
  title: string;
  createdAt: string;
  completedAt: string | null;
}

export interface OpenInterview {
  sessionId: string;
  /** The draft's title (draft_title_of.ts): "NDA: Acme Ltd and Beta GmbH". */
  title: string;
  startedAt: string;
  updatedAt: string;
  /** As the chat counts it: answered, of the questions that apply given the answers. */
  progress: InterviewProgress;
}

export interface TemplateInterviews {
  templateId: string;
  /** Template fields are null for a template that is no longer active. */
  slug: string | null;
  name: string | null;
  description: string | null;
  active: boolean;
  /** The draft connecting without a session resumes: the newest of `drafts`, or null. */
  open: OpenInterview | null;
  /** Every open draft on the template, newest (touched last) first. */
  drafts: OpenInterview[];
  /** Newest first. */
  finished: FinishedInterview[];
}

/**
 * A page of `GET /interviews`: every active template with its open drafts (bounded by the
 * open-interviews quota), and this page's finished interviews, newest first across all
 * templates, each under its template. An inactive template is listed on the pages that hold one
 * of its finished interviews.
 */
export interface InterviewsPage {
  templates: TemplateInterviews[];
  /** Pass as `cursor` for the next page of finished interviews; null on the last page. */
  nextCursor: string | null;
}

export type Claims = Record<string, unknown>;

export interface Page {
  limit: number;
  after?: PageCursor;
}

export interface DocumentReads {
  list(claims: Claims, page: Page): Promise<DocumentPage>;
  get(claims: Claims, id: string): Promise<DocumentRecord | undefined>;
  interviews(claims: Claims, page: Page): Promise<InterviewsPage>;
}

// Timestamps leave Postgres as text to the microsecond (a JavaScript Date keeps milliseconds),
// so a cursor built from one points exactly between two documents. They go back as text too
// (`::text::timestamptz`): a parameter typed timestamptz is serialized by postgres.js through a
// Date, which cut the cursor to the millisecond and skipped a document created in the same
// millisecond as the last of the previous page.
export function createDocumentReads(
  sql: Sql,
  options: { statementTimeoutMs: number },
): DocumentReads {
  const run = (claims: Claims, statement: Parameters<typeof asUser>[3]) =>
    asUser(sql, claims, options.statementTimeoutMs, statement);
  // The documents (as `d`) after the cursor, in the pages' order: newest first, then by id.
  const olderThan = (tx: TransactionSql, after: PageCursor | undefined) =>
    after
      ? tx`where (d.created_at, d.id) < (${after.createdAt}::text::timestamptz, ${after.id}::uuid)`
      : tx``;
  // A column name of this file, never input.
  const utc = (column: string) =>
    sql.unsafe(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

  return {
    async list(claims, { limit, after }) {
      const rows = await run(claims, (tx) =>
        tx`
        select d.id, d.title, d.format, d.template_id, t.name as template_name, d.session_id,
          ${utc("d.created_at")} as created_at
        from public.generated_documents d
        left join public.document_templates t on t.id = d.template_id
        ${olderThan(tx, after)}
        order by d.created_at desc, d.id desc
        limit ${limit + 1}`);
      const documents = rows.slice(0, limit).map(toSummary);
      const last = documents.at(-1);
      return {
        documents,
        nextCursor: rows.length > limit && last
          ? encodeCursor({ createdAt: last.createdAt, id: last.id })
          : null,
      };
    },

    async get(claims, id) {
      const [row] = await run(claims, (tx) =>
        tx`
        select d.id, d.title, d.format, d.content, d.template_id, t.name as template_name,
          d.session_id, ${utc("d.created_at")} as created_at
        from public.generated_documents d
        left join public.document_templates t on t.id = d.template_id
        where d.id = ${id}::uuid`);
      return row ? { ...toSummary(row), content: String(row.content) } : undefined;
    },

    async interviews(claims, { limit, after }) {
      const [templates, rows] = await Promise.all([
        run(claims, (tx) =>
          tx`
          select t.id, t.slug, t.name, t.description, t.questions, t.body, t.title_rule as title,
            s.id as session_id, ${utc("s.created_at")} as started_at,
            ${utc("s.updated_at")} as updated_at, s.history, s.title as session_title
          from public.document_templates t
          left join public.chat_sessions s
            on s.template_id = t.id and not s.is_complete and s.abandoned_at is null
          order by t.name, t.id, s.updated_at desc, s.created_at desc, s.id desc`),
        run(claims, (tx) =>
          tx`
          select d.id, d.session_id, d.template_id, d.title, ${utc("d.created_at")} as created_at,
            ${utc("s.completed_at")} as completed_at
          from public.generated_documents d
          left join public.chat_sessions s on s.id = d.session_id
          ${olderThan(tx, after)}
          order by d.created_at desc, d.id desc
          limit ${limit + 1}`),
      ]);
      const finished = rows.slice(0, limit);
      const last = finished.at(-1);
      const byTemplate = new Map<string, TemplateInterviews>();
      // One row per open draft (newest first), or one row with no draft, per template.
      for (const row of templates) {
        let entry = byTemplate.get(row.id);
        if (!entry) {
          entry = {
            templateId: row.id,
            slug: row.slug,
            name: row.name,
            description: row.description,
            active: true,
            open: null,
            drafts: [],
            finished: [],
          };
          byTemplate.set(row.id, entry);
        }
        if (!row.session_id) continue;
        const stored = row as unknown as StoredTemplate;
        entry.drafts.push({
          sessionId: row.session_id,
          title: draftTitleOf(stored, row.history, row.session_title ?? null),
          startedAt: row.started_at,
          updatedAt: row.updated_at,
          progress: interviewProgress(stored, row.history),
        });
        entry.open ??= entry.drafts[0]!;
      }
      for (const row of finished) {
        let entry = byTemplate.get(row.template_id);
        if (!entry) {
          entry = {
            templateId: row.template_id,
            slug: null,
            name: null,
            description: null,
            active: false,
            open: null,
            drafts: [],
            finished: [],
          };
          byTemplate.set(row.template_id, entry);
        }
        entry.finished.push({
          documentId: row.id,
          sessionId: row.session_id,
          title: row.title,
          createdAt: row.created_at,
          completedAt: row.completed_at,
        });
      }
      return {
        templates: [...byTemplate.values()],
        nextCursor: rows.length > limit && last
          ? encodeCursor({ createdAt: last.created_at, id: last.id })
          : null,
      };
    },
  };
}

function toSummary(row: postgres.Row): DocumentSummary {
  return {
    id: row.id,
    title: row.title,
    format: row.format,
    templateId: row.template_id,
    templateName: row.template_name ?? null,
    sessionId: row.session_id ?? null,
    createdAt: row.created_at,
  };
}
