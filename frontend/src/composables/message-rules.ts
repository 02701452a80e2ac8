// The same limits public-api enforces; checking them here saves a round trip, the server stays the authority.
export const MAX_MESSAGE_LENGTH = 280;
export const MAX_AUTHOR_LENGTH = 40;

type Rule = (value: string) => true | string;

export const messageTextRules: Rule[] = [
  (value) => value.trim().length > 0 || 'Write something first.',
  (value) => value.trim().length <= MAX_MESSAGE_LENGTH || `At most ${MAX_MESSAGE_LENGTH} characters.`,
];

export const authorRules: Rule[] = [(value) => value.trim().length <= MAX_AUTHOR_LENGTH || `At most ${MAX_AUTHOR_LENGTH} characters.`];

export function firstRuleError(rules: Rule[], value: string): string | undefined {
  for (const rule of rules) {
    const result = rule(value);
    if (result !== true) return result;
  }
  return undefined;
}
