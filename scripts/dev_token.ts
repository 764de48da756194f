// Local development only: creates (or finds) a user in the local stack's auth.users and prints
// an access token for them, like Supabase Auth would issue: signed with the local ES256 signing
// key (its kid in the header; the gateway publishes its JWKS), or with JWT_SECRET when
// DEV_TOKEN_ALG=HS256.
//   npm run token -- alice@example.com [--expires 1h]
import postgres from "postgres";
import { issuerOf } from "../supabase/functions/_shared/platform/token_verifier.ts";
import { devTokenAlgorithm, issueDevToken } from "./dev_auth.ts";
import { DEFAULT_SIGNING_KEYS_PATH, loadOrCreateSigningKey } from "./local_signing_key.ts";

const email = Deno.args.find((arg) => !arg.startsWith("--")) ?? "dev@example.com";
const expiresIndex = Deno.args.indexOf("--expires");
const expiresIn = expiresIndex >= 0 ? Deno.args[expiresIndex + 1] ?? "1h" : "1h";
const secret = Deno.env.get("JWT_SECRET");
const dbUrl = Deno.env.get("SUPABASE_DB_URL");
let algorithm;
try {
  algorithm = devTokenAlgorithm(Deno.env.get("DEV_TOKEN_ALG"));
} catch (error: unknown) {
  console.error((error as TypeError).message);
  Deno.exit(1);
}
if ((algorithm === "HS256" && !secret) || !dbUrl) {
  console.error(
    `${algorithm === "HS256" ? "JWT_SECRET and " : ""}SUPABASE_DB_URL must be set ` +
      "(npm run token sets them)",
  );
  Deno.exit(1);
}
const signingKey = algorithm === "ES256"
  ? await loadOrCreateSigningKey(Deno.env.get("SIGNING_KEYS_PATH") || DEFAULT_SIGNING_KEYS_PATH)
  : undefined;

// The issuer the functions expect (docs/configuration.md), so that they accept this token.
const issuer = Deno.env.get("JWT_ISSUER") ||
  issuerOf(Deno.env.get("SUPABASE_URL") || "http://127.0.0.1:54321");

const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
try {
  console.log((await issueDevToken(sql, { secret, signingKey, issuer, email, expiresIn })).token);
} finally {
  await sql.end();
}
