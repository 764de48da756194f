// Browser end-to-end: the demo page's session is supabase-js's. Signing in stores the session the
// dev portal minted where the library keeps it, the page's calls go to the project URL (the
// gateway's layout: /auth/v1/user, /functions/v1/documents/...), a reload stays signed in, the
// stored refresh token refreshes from the page's origin, and signing out removes the session.
import assert from "node:assert/strict";
import {
  DESKTOP,
  launchBrowser,
  signIn,
  startDemoStack,
  watchProblems,
} from "../../test_support/demo_page.ts";

Deno.test("the demo page holds its session with supabase-js, through the gateway", async () => {
  const stack = await startDemoStack();
  const context = await launchBrowser(DESKTOP);
  const page = context.pages()[0] ?? await context.newPage();
  const problems = watchProblems(page);
  const requests: string[] = [];
  page.on("request", (request) => requests.push(`${request.method()} ${request.url()}`));
  try {
    await page.goto(stack.portalUrl);
    await page.waitForSelector("#sign-in:not([hidden])");
    const email = `session-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await signIn(page, email);
    const projectUrl = await page.evaluate<string>(
      "fetch('/dev/config').then((r) => r.json()).then((c) => c.supabaseUrl)",
    );
    const storageKey = `sb-${new URL(projectUrl).hostname.split(".")[0]}-auth-token`;
    const stored = JSON.parse(
      await page.evaluate<string>(`localStorage.getItem(${JSON.stringify(storageKey)})`),
    );
    assert.equal(stored.user.email, email, "the session where supabase-js keeps it");
    assert.ok(stored.refresh_token, "with its refresh token");
    assert.ok(requests.includes(`GET ${projectUrl}/auth/v1/user`), "setSession asked Auth");
    assert.ok(
      requests.some((line) =>
        line.startsWith(`GET ${projectUrl}/functions/v1/documents/interviews`)
      ),
      "the documents function at its platform path",
    );

    // A reload: the library finds the session, no sign-in asked.
    await page.reload();
    await page.waitForSelector("#documents:not([hidden]) #template-list li");
    assert.equal(await page.textContent("#account-email"), email);

    // The stored refresh token is good for a new session from the page's origin, as the
    // library's refresh asks for it (CORS through the gateway to the stand-in).
    const refreshed = await page.evaluate<string>(`(async () => {
      const key = ${JSON.stringify(storageKey)};
      const before = JSON.parse(localStorage.getItem(key)).refresh_token;
      const response = await fetch(${JSON.stringify(projectUrl)} +
        "/auth/v1/token?grant_type=refresh_token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refresh_token: before }),
      });
      return (await response.json()).user.email;
    })()`);
    assert.equal(refreshed, email);

    await page.click("#sign-out");
    await page.waitForSelector("#sign-in:not([hidden])");
    assert.equal(
      await page.evaluate(`localStorage.getItem(${JSON.stringify(storageKey)})`),
      null,
      "signing out removes the session",
    );
    await page.reload();
    await page.waitForSelector("#sign-in:not([hidden])");
    assert.deepEqual(problems, []);
  } catch (error) {
    console.error(stack.logs().join("\n"));
    throw error;
  } finally {
    await context.close();
    await stack.stop();
  }
});
