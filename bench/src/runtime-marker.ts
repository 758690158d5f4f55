/** Precedes the JSON measurements on the line a Bun or Deno subject prints them. */
export const runtimeMeasurementMarker = 'mailtrap-kit-bench-runs:';
