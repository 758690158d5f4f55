/** The package's name, as published. */
export const packageName = '@mailtrap-kit/core';
