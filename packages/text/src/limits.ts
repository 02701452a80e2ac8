/**
 * The length limits of user-written text, in Unicode code points (see ./length.ts), defined once:
 * the services' DTO schemas and OpenAPI documents, the SPA's form rules and counters, and the
 * MySQL `VARCHAR(n)` columns (utf8mb4, which also counts code points) all use these numbers.
 */

/** A message's text (public-api `messages.text`), after trimming. */
export const MESSAGE_TEXT_MAX = 280;
/** The name an anonymous poster may give (public-api), after trimming. */
export const AUTHOR_NAME_MAX = 40;
/** A profile's display name (secure-api `profiles.display_name`), which signed-in posts carry as their author name. */
export const DISPLAY_NAME_MAX = 50;
/** A profile's bio (secure-api `profiles.bio`). */
export const BIO_MAX = 280;
