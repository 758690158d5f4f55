// The devDependency alias `nodemailer9` (npm:nodemailer@^9) ships no types of its own; the
// tests only call createTransport on it.
declare module 'nodemailer9' {
  const nodemailer: { createTransport(transport: unknown, defaults?: Record<string, unknown>): any };
  export default nodemailer;
}
