// Local development only: creates (or finds) a user in the local stack's auth.users and prints
// an access token for them, signed with the local JWT_SECRET, like Supabase Auth would issue.
//   npm run token -- alice@example.com [--expires 1h]
import postgres from "postgres";
import { issuerOf } from "../supabase/functions/_shared/platform/token_verifier.ts";
import { issueDevToken } from "./dev_auth.ts";

const email = Deno.args.find((arg) => !arg.startsWith("--")) ?? "dev@example.com";
const expiresIndex = Deno.args.indexOf("--expires");
const expiresIn = expiresIndex >= 0 ? Deno.args[expiresIndex + 1] ?? "1h" : "1h";
const secret = Deno.env.get("JWT_SECRET");
const dbUrl = Deno.env.get("SUPABASE_DB_URL");
if (!secret || !dbUrl) {
  console.error("JWT_SECRET and SUPABASE_DB_URL must be set (npm run token sets them)");
  Deno.exit(1);
}

// The issuer the functions expect (docs/configuration.md), so that they accept this token.
const issuer = Deno.env.get("JWT_ISSUER") ||
  issuerOf(Deno.env.get("SUPABASE_URL") || "http://127.0.0.1:54321");

const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
try {
  console.log((await issueDevToken(sql, { secret, issuer, email, expiresIn })).token);
} finally {
  await sql.end();
}
