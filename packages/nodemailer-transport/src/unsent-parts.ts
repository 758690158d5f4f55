// Nodemailer builds a whole MIME message before a transport sees it: a random multipart boundary
// for every part and a random Message-ID (five crypto.randomBytes calls and one more parse of the
// addresses). The API builds its own MIME message and Message-ID, so the transport sends neither
// of Nodemailer's. Its compile plugin therefore gives Nodemailer fixed stand-ins for the two,
// which Nodemailer uses instead of generating them (about a fifth of the CPU of a sendMail), and
// the mapping knows them for what they are: a Message-ID or boundary a user set is still honoured
// or refused as before.

/** The Message-ID Nodemailer is given when the message has none; it is never sent. */
export const UNSENT_MESSAGE_ID = '<unsent@mailtrap-kit.invalid>';
/** The multipart boundary base Nodemailer is given; the API builds the MIME message itself. */
export const UNSENT_BOUNDARY = 'mailtrap-kit-unsent';

function hasMessageIdHeader(headers: unknown): boolean {
  if (!headers || typeof headers !== 'object') return false;
  if (Array.isArray(headers)) {
    return headers.some(
      (entry) =>
        String(entry?.key ?? '')
          .toLowerCase()
          .trim() === 'message-id',
    );
  }
  for (const key in headers) if (key.toLowerCase().trim() === 'message-id') return true;
  return false;
}

/** Sets the stand-ins on a message about to be compiled, where the user set neither. */
export function setUnsentParts(data: Record<string, unknown>): void {
  if (!data.messageId && !hasMessageIdHeader(data.headers)) data.messageId = UNSENT_MESSAGE_ID;
  if (data.baseBoundary === undefined) data.baseBoundary = UNSENT_BOUNDARY;
}
