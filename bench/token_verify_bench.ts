// The CPU cost of verifying one access token, per kind of key, with the verifier the functions
// build (docs/configuration.md#tokens). Hosted workers get 2 s of CPU; a handshake verifies one
// token. Run: node_modules/.bin/deno bench --allow-all --no-prompt bench/token_verify_bench.ts
import * as jose from "jose";
import { createTokenVerifier } from "../supabase/functions/_shared/platform/token_verifier.ts";
import {
  createEs256SigningKey,
  JWT_SECRET,
  LOCAL_ISSUER,
  signToken,
} from "../test_support/local_stack.ts";

const USER = crypto.randomUUID();
const signingKey = await createEs256SigningKey("bench-es256");
const extra = await Promise.all(["a", "b", "c"].map((kid) => createEs256SigningKey(kid)));
const keys = [signingKey, ...extra].map((key) => key.publicJwk);
const options = { audience: "authenticated", issuer: LOCAL_ISSUER };

const legacyOnly = createTokenVerifier({ ...options, secret: JWT_SECRET });
const rotation = createTokenVerifier({ ...options, secret: JWT_SECRET, jwks: { keys } });
const hs256 = await signToken(USER);
const es256 = await signToken(USER, { signingKey });
const hs256WithKid = await new jose.SignJWT({
  role: "authenticated",
  aud: "authenticated",
  sub: USER,
  iss: LOCAL_ISSUER,
}).setProtectedHeader({ alg: "HS256", kid: "legacy" }).setExpirationTime("1h")
  .sign(new TextEncoder().encode(JWT_SECRET));

Deno.bench("HS256, legacy secret only", { baseline: true }, async () => {
  await legacyOnly.verify(hs256);
});
Deno.bench("HS256, rotation (secret + 4 public keys)", async () => {
  await rotation.verify(hs256);
});
Deno.bench("HS256 naming a kid, rotation (falls back to the secret)", async () => {
  await rotation.verify(hs256WithKid);
});
Deno.bench("ES256 by kid, rotation (secret + 4 public keys)", async () => {
  await rotation.verify(es256);
});
