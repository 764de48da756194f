// A real HTTP server that speaks the AI contract (docs/ai_service.md) with the project's own pure
// interview engine: real questions, answer validation and assembled Markdown documents, for
// tests that need a realistic interview (the browser test) rather than a scripted one.
import { nextStep } from "../supabase/functions/_shared/template/interview_engine.ts";
import { todayAt } from "../supabase/functions/_shared/template/date_rules.ts";
import { parseTemplate } from "../supabase/functions/_shared/template/template.ts";

export interface EngineAiService {
  url: string;
  close(): Promise<void>;
}

export function startEngineAiService(apiKey = "test-ai-key"): EngineAiService {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    if (req.headers.get("authorization") !== `Bearer ${apiKey}`) {
      return Response.json({ error: "unauthorized" }, { status: 401 });
    }
    const body = await req.json();
    try {
      const template = parseTemplate(body.template);
      return Response.json(nextStep(template, body.history ?? [], {
        protocol: body.protocol === "v2" ? "v2" : "v1",
        today: todayAt(new Date()),
      }));
    } catch (error: unknown) {
      return Response.json({ error: String(error) }, { status: 422 });
    }
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    close: () => server.shutdown(),
  };
}
