// The local stack's asymmetric signing key, as a new hosted project has one: an ES256 (P-256) key
// pair with a key id, kept in .stack/signing_keys.json (never in git, readable by its owner only),
// in the format of the Supabase CLI's `signing_keys_path` file: a JSON array of private JWKs, the
// first of which signs. The gateway publishes the public halves at
// /auth/v1/.well-known/jwks.json; `npm run token` and the dev portal sign with the private one.
//
//   deno run --allow-read --allow-write scripts/local_signing_key.ts   makes sure it exists
import * as jose from "jose";

export interface LocalSigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public JWK with kid, alg and use, as the JWKS publishes it. */
  publicJwk: jose.JWK;
}

/** Where the key lives unless SIGNING_KEYS_PATH says otherwise. */
export const DEFAULT_SIGNING_KEYS_PATH = new URL("../.stack/signing_keys.json", import.meta.url)
  .pathname;

/** The key at `path`, created first when there is none. */
export async function loadOrCreateSigningKey(
  path = DEFAULT_SIGNING_KEYS_PATH,
): Promise<LocalSigningKey> {
  try {
    return await readSigningKey(path);
  } catch (error: unknown) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await createSigningKeyFile(path);
  return await readSigningKey(path);
}

/** The first key of the file at `path`; throws NotFound when there is no file. */
export async function readSigningKey(path: string): Promise<LocalSigningKey> {
  const text = await Deno.readTextFile(path);
  let keys: unknown;
  try {
    keys = JSON.parse(text);
  } catch {
    throw new TypeError(`Cannot read the signing keys in "${path}": not JSON`);
  }
  const first = Array.isArray(keys) ? keys[0] : undefined;
  if (
    typeof first !== "object" || first === null || first.kty !== "EC" || first.crv !== "P-256" ||
    typeof first.d !== "string" || typeof first.kid !== "string"
  ) {
    throw new TypeError(
      `Cannot read the signing keys in "${path}": expected a JSON array whose first entry is a ` +
        "private P-256 JWK with a kid (delete the file and the stack makes a new one)",
    );
  }
  // key_ops names both halves' uses (the CLI's format); a private key imports for signing only.
  const { key_ops: _ops, ext: _ext, ...privateJwk } = first as jose.JWK;
  const { d: _private, ...publicPart } = privateJwk;
  const privateKey = await jose.importJWK({ ...privateJwk, alg: "ES256" }, "ES256") as CryptoKey;
  return {
    kid: first.kid,
    privateKey,
    publicJwk: { ...publicPart, alg: "ES256", use: "sig" },
  };
}

/** `{ keys: [...] }` as /auth/v1/.well-known/jwks.json serves it: public halves only. */
export function jwksOf(key: LocalSigningKey): { keys: jose.JWK[] } {
  return { keys: [key.publicJwk] };
}

/**
 * Writes a new key to `path` unless one is there: into a temporary file first, then linked into
 * place, which fails when another process got there first, so two starts never overwrite each
 * other's key (a token signed with a replaced key would stop verifying).
 */
async function createSigningKeyFile(path: string): Promise<void> {
  const { privateKey } = await jose.generateKeyPair("ES256", { extractable: true });
  const jwk = {
    ...(await jose.exportJWK(privateKey)),
    kid: crypto.randomUUID(),
    alg: "ES256",
    use: "sig",
    key_ops: ["sign", "verify"],
    ext: true,
  };
  const folder = path.slice(0, path.lastIndexOf("/")) || ".";
  await Deno.mkdir(folder, { recursive: true });
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temporary, `${JSON.stringify([jwk], null, 2)}\n`, { mode: 0o600 });
  try {
    await Deno.link(temporary, path);
  } catch (error: unknown) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  } finally {
    await Deno.remove(temporary);
  }
}

if (import.meta.main) {
  const path = Deno.env.get("SIGNING_KEYS_PATH") || DEFAULT_SIGNING_KEYS_PATH;
  const key = await loadOrCreateSigningKey(path);
  console.log(`ES256 signing key ${key.kid} in ${path}`);
}
