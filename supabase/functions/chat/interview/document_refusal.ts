/**
 * What the user is told when a finished document exceeds the one maximum for a stored document
 * (LIMITS.maxDocumentChars, docs/protocol.md): the chat checks the AI's document before storing
 * it, and the database refuses one it missed (CH414, e.g. a document stored by the AI service
 * itself). Pure: no I/O.
 */
import { describeOversize, type DocumentOversize } from "../../_shared/document/document_size.ts";
import { LIMITS, type ProtocolVersion } from "../../_shared/wire/protocol.ts";

/** The `document_too_large` message: why, that the answers are kept, and what the user can do. */
export function documentTooLargeMessage(
  oversize: DocumentOversize | undefined,
  version: ProtocolVersion,
): string {
  const why = oversize
    ? describeOversize(oversize)
    : `The document is larger than the ${
      LIMITS.maxDocumentChars.toLocaleString("en-US")
    } characters a document may hold`;
  const remedy = version === "v2"
    ? 'shorten a long answer with edit_answer, or send {"type":"retry"} to ask for the ' +
      "document again"
    : 'send {"type":"retry"} to ask for the document again, or reconnect with restart=1 to ' +
      "start over with shorter answers";
  return `${why}, so it was not saved. Your answers are kept: ${remedy}`;
}
