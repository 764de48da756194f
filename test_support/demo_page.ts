// What the demo page's browser tests share: the stack behind the page (the engine-backed AI
// service, the chat and the documents function behind the gateway, the gateway behind a TCP proxy
// that the page takes for the project URL, the dev portal with its Auth stand-in), Debian's
// Chromium driven by playwright-core, axe-core run inside the page, and checks on layout.
import assert from "node:assert/strict";
import axe from "axe-core";
import { type BrowserContext, chromium, type Download, type Page } from "playwright-core";
import { startEngineAiService } from "./engine_ai_service.ts";
import { startGateway } from "./gateway.ts";
import {
  chatEnv,
  DB_URL,
  freePort,
  functionDatabaseEnv,
  type FunctionProcess,
  JWT_SECRET,
  ROOT,
  startDenoProcess,
  startFunction,
} from "./local_stack.ts";
import { startTcpProxy, type TcpProxy } from "./tcp_proxy.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = `${ROOT}test-artifacts`;
export const NDA_TEMPLATE_ID = "6f687ff8-c6e2-4566-8867-8c71651d250f";
export const DESKTOP = { name: "desktop", width: 1280, height: 800 } as const;
export const PHONE = { name: "phone", width: 390, height: 844 } as const;
export type Viewport = typeof DESKTOP | typeof PHONE;

export interface DemoStack {
  portalUrl: string;
  /**
   * Between the page and the gateway (the project URL the page's supabase-js has): hold() makes
   * a silent drop, dropAll() a cut.
   */
  proxy: TcpProxy;
  logs(): string[];
  stop(): Promise<void>;
}

/**
 * The AI service, the chat and the documents function behind the gateway (itself behind a proxy),
 * and the dev portal, whose Auth stand-in the gateway forwards /auth/v1 to.
 */
export async function startDemoStack(): Promise<DemoStack> {
  const ai = startEngineAiService();
  const processes: FunctionProcess[] = [];
  let proxy: TcpProxy | undefined;
  try {
    const chat = await startFunction("chat", chatEnv(ai.url));
    processes.push(chat);
    const documents = await startFunction(
      "documents",
      { ...chatEnv(ai.url), ...functionDatabaseEnv("documents") },
      "/documents",
    );
    processes.push(documents);
    const portalPort = freePort();
    const gateway = await startGateway(
      { chat: chat.port, documents: documents.port },
      { LOCAL_AUTH_URL: `http://127.0.0.1:${portalPort}` },
    );
    processes.push(gateway);
    proxy = startTcpProxy({ port: gateway.port });
    const projectUrl = `http://127.0.0.1:${proxy.port}`;
    const portal = await startDenoProcess("scripts/dev_portal.ts", {
      ...chatEnv(ai.url),
      DEV_PORTAL: "true",
      DEV_PORTAL_PORT: String(portalPort),
      DEV_PORTAL_SUPABASE_URL: projectUrl,
      DEV_PORTAL_DOCUMENTS_URL: `${projectUrl}/functions/v1`,
      // A silent drop shows within 3 s, so the test need not wait the default 15.
      DEV_PORTAL_HEARTBEAT_INTERVAL_MS: "1500",
      DEV_PORTAL_HEARTBEAT_TIMEOUT_MS: "1500",
      SUPABASE_DB_URL: DB_URL,
      JWT_SECRET,
      // The test gateway verifies HS256 with the secret, the functions too: no key file needed.
      DEV_TOKEN_ALG: "HS256",
    }, { port: portalPort, permissions: ["--allow-run"] });
    processes.push(portal);
    const inFront = proxy;
    return {
      portalUrl: `http://127.0.0.1:${portalPort}/`,
      proxy: inFront,
      logs: () => processes.flatMap((process) => process.logs.slice(-15)),
      async stop() {
        await inFront.close();
        for (const process of processes.reverse()) await process.stop();
        await ai.close();
      },
    };
  } catch (error) {
    await proxy?.close();
    for (const process of processes) await process.stop();
    await ai.close();
    throw error;
  }
}

export async function launchBrowser(viewport: Viewport): Promise<BrowserContext> {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    throw new Error(`${CHROMIUM} is missing: npm test installs it (apt-get install chromium)`);
  }
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const profile = await Deno.makeTempDir({ prefix: "chromium-profile-" });
  return await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: viewport.width, height: viewport.height },
    acceptDownloads: true,
    // axe-core goes in as an inline script tag, which the page's own policy (script-src 'self')
    // would refuse; the policy itself is asserted by the dev portal's handler test.
    bypassCSP: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Collects the page's errors; a test asserts the list stays empty. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  return problems;
}

/** test-artifacts/demo-<desktop|phone>-<name>.png, the whole page unless `fullPage: false`. */
export async function screenshot(
  page: Page,
  viewport: Viewport,
  name: string,
  { fullPage = true } = {},
): Promise<Buffer> {
  const path = `${ARTIFACTS}/demo-${viewport.name}-${name}.png`;
  if (!fullPage) return page.screenshot({ path });
  // From the top, so that the sticky bar is drawn where it starts rather than mid-page.
  const scrolled = await page.evaluate<number>("window.scrollY");
  await page.evaluate("window.scrollTo(0, 0)");
  const image = await page.screenshot({ path, fullPage });
  await page.evaluate(`window.scrollTo(0, ${scrolled})`);
  return image;
}

/** Runs axe-core in the page: no violation at any impact on this view. */
export async function assertAccessible(page: Page, view: string): Promise<void> {
  if (!await page.evaluate("typeof window.axe === 'object'")) {
    await page.addScriptTag({ content: (axe as unknown as { source: string }).source });
  }
  const violations = await page.evaluate<{ id: string; impact: string; nodes: string[] }[]>(`
    axe.run(document, { resultTypes: ["violations"] }).then((results) =>
      results.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.html) })))`);
  assert.deepEqual(violations, [], `axe on the ${view} view`);
}

/** Nothing on the page scrolls sideways. */
export async function assertNoSideScroll(page: Page, view: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate<
    { scrollWidth: number; clientWidth: number }
  >(
    "({ scrollWidth: document.documentElement.scrollWidth, " +
      "clientWidth: document.documentElement.clientWidth })",
  );
  assert.ok(scrollWidth <= clientWidth, `${view}: ${scrollWidth} px wide in ${clientWidth}`);
}

/** The id and accessible label of the element that has the focus. */
export function focused(page: Page): Promise<{ id: string; label: string; tag: string }> {
  return page.evaluate(`(() => {
    const element = document.activeElement;
    const labelledBy = element.getAttribute("aria-labelledby");
    const label = element.labels?.[0]?.textContent ??
      (labelledBy ? document.getElementById(labelledBy)?.textContent : null) ??
      element.getAttribute("aria-label") ?? element.textContent;
    return { id: element.id, label: (label ?? "").trim(), tag: element.tagName.toLowerCase() };
  })()`);
}

export async function signIn(page: Page, email: string): Promise<void> {
  await page.fill("#email", email);
  await page.press("#email", "Enter");
  await page.waitForSelector("#documents:not([hidden]) #template-list li");
}

/** The id of the question the page is waiting for an answer to. */
export async function pendingQuestionId(page: Page): Promise<string> {
  // The box stays writable while an answer is on its way (nothing typed is lost), so a usable
  // box alone does not mean the next question stands: nothing may be pending or awaited either.
  await page.waitForFunction(
    `!document.querySelector("#answer:disabled, #answer[readonly]") &&
      !document.querySelector("#transcript .pending") &&
      !document.querySelector("#waiting.active")`,
    undefined,
    { timeout: 15_000 },
  );
  const id = await page.locator('#transcript .bubble[data-role="assistant"]').last()
    .getAttribute("data-question-id");
  assert.ok(id, "the last assistant bubble names its question");
  return id;
}

/**
 * Types an answer, sends it and waits until the server acknowledged or refused it. Enter sends,
 * except in a long answer on a phone, where Enter is a new line and the Send button sends.
 */
export async function answer(page: Page, text: string): Promise<void> {
  await page.fill("#answer", text);
  if (await page.getAttribute("#answer", "enterkeyhint") === "enter") await page.click("#send");
  else await page.press("#answer", "Enter");
  await waitForReply(page);
}

/** Waits until nothing is on its way: the next question, the review, a refusal or the document. */
export async function waitForReply(page: Page): Promise<void> {
  await page.waitForFunction(
    `!document.querySelector("#transcript .pending") && !document.querySelector("#waiting.active")
      || !document.getElementById("document").hidden`,
    undefined,
    { timeout: 15_000 },
  );
}

/** Clicks a download button and returns the file's name and bytes. */
export async function download(
  page: Page,
  selector: string,
): Promise<{ name: string; bytes: Uint8Array }> {
  const [file] = await Promise.all([
    page.waitForEvent("download", { timeout: 15_000 }) as Promise<Download>,
    page.click(selector),
  ]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: await Deno.readFile(path) };
}
