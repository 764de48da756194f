// Local development only: creates (or finds) a user in the local stack's auth.users and prints
// an access token for them, signed with the local JWT_SECRET, like Supabase Auth would issue.
//   npm run token -- alice@example.com [--expires 1h]
import * as jose from "jose";
import postgres from "postgres";

const email = Deno.args.find((arg) => !arg.startsWith("--")) ?? "dev@example.com";
const expiresIndex = Deno.args.indexOf("--expires");
const expiresIn = expiresIndex >= 0 ? Deno.args[expiresIndex + 1] ?? "1h" : "1h";
const secret = Deno.env.get("JWT_SECRET");
const dbUrl = Deno.env.get("SUPABASE_DB_URL");
if (!secret || !dbUrl) {
  console.error("JWT_SECRET and SUPABASE_DB_URL must be set (npm run token sets them)");
  Deno.exit(1);
}

const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
try {
  const [user] = await sql`
    insert into auth.users (id, aud, role, email)
    values (gen_random_uuid(), 'authenticated', 'authenticated', ${email})
    on conflict (email) where email is not null do update set updated_at = now()
    returning id`;
  const token = await new jose.SignJWT({
    role: "authenticated",
    aud: "authenticated",
    sub: user!.id,
    email,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
  console.log(token);
} finally {
  await sql.end();
}
