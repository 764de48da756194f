/**
 * The credential of an `Authorization: Bearer <credential>` header: a user's access token, a
 * service role key, the AI service's API key. One parser, so every function reads the header
 * alike.
 */

// RFC 9110 allows spaces and tabs (optional whitespace) around the credential and names the
// scheme case-insensitively; a credential never holds white space.
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The credential of a Bearer header, or undefined when it is missing or not of that shape. */
export function bearerToken(header: string | null | undefined): string | undefined {
  return BEARER.exec(header ?? "")?.[1];
}
