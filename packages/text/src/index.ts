export { codePointLength, sliceCodePoints, truncateCodePoints } from './length.js';
export { plainTextProblem, type PlainTextOptions } from './plain-text.js';
export { AUTHOR_NAME_MAX, BIO_MAX, DISPLAY_NAME_MAX, MESSAGE_TEXT_MAX } from './limits.js';
