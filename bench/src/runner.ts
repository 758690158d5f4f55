// Child process: runs one subject of one case and sends its measurements to the parent.
import { SubjectUnavailableError } from './processes.js';
import { loadSubject } from './registry.js';

process.once(
  'message',
  async (message: { caseId: string; subject: string; settings: Record<string, unknown> }) => {
    try {
      const run = await loadSubject(message.caseId, message.subject);
      const value = await run(message.settings);
      process.send?.({ type: 'result', value }, () => process.exit(0));
    } catch (error) {
      const unavailable = error instanceof SubjectUnavailableError;
      const text =
        error instanceof Error
          ? unavailable
            ? error.message
            : (error.stack ?? error.message)
          : String(error);
      process.send?.({ type: 'error', message: text, unavailable }, () => process.exit(1));
    }
  },
);

// The parent went away (Ctrl-C, crash): stop instead of running on unobserved.
process.once('disconnect', () => process.exit(1));
