/** Precedes the JSON report on the line a runtime prints it. */
export const reportMarker = 'mailtrap-kit-scenario-report:';
