type Rule = (value: string) => true | string;

export const emailRules: Rule[] = [
  (value) => value.trim().length > 0 || 'Enter your email.',
  (value) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) || 'That email address is not valid.',
];

export const passwordRules: Rule[] = [(value) => value.length > 0 || 'Enter your password.'];

// Firebase's own minimum; a real project would configure a stronger password policy there.
export const newPasswordRules: Rule[] = [(value) => value.length >= 6 || 'Use at least 6 characters.'];
