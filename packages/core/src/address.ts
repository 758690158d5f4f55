/**
 * The one address rule of mailtrap-kit: core's validation, the Nodemailer transport and the bulk
 * packer all ask {@link emailAddressProblem}, so an address is refused (or taken) the same way
 * everywhere, before anything is sent.
 *
 * The rule is a practical one for the addresses Mailtrap delivers, not the whole of RFC 5322:
 * - a local part of 1-64 characters without spaces, control characters or `" < > ( ) , ; : \ [ ]`,
 *   not starting or ending with a dot and without two dots in a row (plus addressing and non-ASCII
 *   letters are fine);
 * - one `@`;
 * - a domain of at least two dot-separated labels (Mailtrap answers 400 to `bob@example`), each label
 *   1-63 letters, digits or hyphens (any script, so IDN domains pass as Unicode or as `xn--` Punycode)
 *   not starting or ending with a hyphen, the last label at least two characters and not all digits
 *   (no IP literals);
 * - at most 254 characters in all.
 */

const forbiddenLocal = /[\s"<>(),;:\\[\]\p{Cc}]/u;
const domainLabel = /^[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}-]{0,61}[\p{L}\p{N}\p{M}])?$/u;
const numeric = /^\d+$/;

/**
 * The common case in one test, without a copy: a plain ASCII local part (dots only between
 * characters) and an ASCII domain of LDH labels whose last label starts with a letter and has at
 * least two characters. Every address it matches passes the rules below (lengths checked apart);
 * an address it does not match is judged by them.
 */
const plainAddress =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])$/;

/** Why `email` is not an address Mailtrap takes, or undefined when it is one. */
export function emailAddressProblem(email: string): string | undefined {
  if (typeof email !== 'string') return 'is not a string';
  if (email.length <= 254 && plainAddress.test(email) && email.indexOf('@') <= 64) return undefined;
  if (email.length === 0) return 'is empty';
  if (/[\r\n]/.test(email)) return 'contains CR or LF';
  if (email.length > 254) return `is ${email.length} characters; at most 254`;
  if (email.includes('<') || email.includes('>')) {
    return 'contains angle brackets (give the display name in `name` and the bare address in `email`)';
  }
  if (/\s/.test(email)) return 'contains whitespace';
  const at = email.lastIndexOf('@');
  if (at === -1) return 'has no @';
  if (email.indexOf('@') !== at) return 'has more than one @';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length === 0) return 'has nothing before the @';
  if (local.length > 64) return `has a local part of ${local.length} characters; at most 64`;
  if (forbiddenLocal.test(local)) return 'has a character not allowed before the @';
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return 'has a misplaced dot before the @';
  }
  if (domain.length === 0) return 'has no domain after the @';
  const labels = domain.split('.');
  if (labels.length < 2) return `has a domain without a dot (${JSON.stringify(domain)}): Mailtrap refuses it`;
  for (const label of labels) {
    if (!domainLabel.test(label)) return `has an invalid domain ${JSON.stringify(domain)}`;
  }
  const last = labels[labels.length - 1]!;
  if (last.length < 2 || numeric.test(last))
    return `has an invalid top-level domain in ${JSON.stringify(domain)}`;
  return undefined;
}
