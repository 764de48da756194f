/**
 * Publishing and retiring templates against a database: `chat_internal.publish_template` for each
 * template (the function the seed calls too), `chat_internal.retire_template` for one. Both run as
 * the service role, the only role that publishes, in one transaction: all templates or none.
 */
import type postgres from "postgres";
import type { Template } from "../../supabase/functions/_shared/template/template.ts";
import { questionsJson } from "../seed/seed_sql.ts";

/** What publishing one template did. */
export interface PublishOutcome {
  slug: string;
  version: number;
  /** Whether a new version was published (false: the content is the current version's). */
  published: boolean;
  /** What changed: "new template", or any of "questions", "body", "title rule". */
  changed: string[];
}

/** "mutual-nda: version 2 published (questions changed)", or "...: unchanged at version 1". */
export function describeOutcome(outcome: PublishOutcome): string {
  if (!outcome.published) return `${outcome.slug}: unchanged at version ${outcome.version}`;
  const why = outcome.changed.includes("new template")
    ? "new template"
    : `${joinWords(outcome.changed)} changed`;
  return `${outcome.slug}: version ${outcome.version} published (${why})`;
}

/**
 * Publishes each template's content as its next version where it changed. `publishedBy` names
 * the author in the versions it makes (the database role when absent).
 */
export async function publishTemplates(
  sql: postgres.Sql,
  templates: readonly Template[],
  publishedBy?: string,
): Promise<PublishOutcome[]> {
  return await sql.begin(async (tx) => {
    await tx`select set_config('role', 'service_role', true)`;
    const outcomes: PublishOutcome[] = [];
    for (const t of templates) {
      const [row] = await tx`
        select version, published, changed from chat_internal.publish_template(
          p_id => ${t.id}, p_slug => ${t.slug}, p_name => ${t.name},
          p_description => ${t.description}, p_title_rule => ${t.title ?? null},
          p_questions => ${tx.json(JSON.parse(questionsJson(t)))}, p_body => ${t.body},
          p_published_by => ${publishedBy ?? null})`;
      outcomes.push({
        slug: t.slug,
        version: row!.version,
        published: row!.published,
        changed: row!.changed,
      });
    }
    return outcomes;
  });
}

/** What retiring a template found. */
export interface RetireOutcome {
  slug: string;
  version: number;
  wasActive: boolean;
  /** The open interviews on it, which resume and complete on their own versions. */
  openInterviews: number;
}

/** Hides a template from new interviews; its versions stay for the sessions that use them. */
export async function retireTemplate(sql: postgres.Sql, slug: string): Promise<RetireOutcome> {
  try {
    return await sql.begin(async (tx) => {
      await tx`select set_config('role', 'service_role', true)`;
      const [row] = await tx`
        select r.template_id, r.version, r.was_active from chat_internal.retire_template(${slug}) r`;
      const [open] = await tx`
        select count(*)::int as count from public.chat_sessions s
        where s.template_id = ${row!.template_id} and not s.is_complete and s.abandoned_at is null`;
      return {
        slug,
        version: row!.version,
        wasActive: row!.was_active,
        openInterviews: open!.count,
      };
    });
  } catch (error: unknown) {
    if ((error as { code?: unknown }).code === "CH404") {
      throw new TypeError(`No template "${slug}" in the database: nothing to retire`);
    }
    throw error;
  }
}

export function describeRetired(outcome: RetireOutcome): string {
  if (!outcome.wasActive) return `${outcome.slug}: already retired (at version ${outcome.version})`;
  const open = outcome.openInterviews;
  const left = open === 0
    ? "no interview is open on it"
    : open === 1
    ? "1 open interview finishes on the version it started on"
    : `${open} open interviews finish on the versions they started on`;
  return `${outcome.slug}: retired at version ${outcome.version}; new interviews cannot start on it, ${left}`;
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}
