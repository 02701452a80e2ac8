import { describe, expect, it } from 'vitest';
import { authorRules, bioRules, displayNameRules, firstRuleError, messageTextRules } from './text-rules.js';

describe('text rules: the same plain-text rule the APIs enforce', () => {
  it('when a message or bio spans several lines, then it passes', () => {
    expect(firstRuleError(messageTextRules, 'first line\nsecond line 🎉')).toBeUndefined();
    expect(firstRuleError(bioRules, 'Countess.\r\nAnalyst.')).toBeUndefined();
  });

  it('when pasted text carries a control character, then the form says so before the API would', () => {
    expect(firstRuleError(messageTextRules, 'hi\u0000')).toBe('Remove the invisible control characters.');
    expect(firstRuleError(bioRules, '\u001b[31mred')).toBe('Remove the invisible control characters.');
  });

  it('when a name has a line break or a lone surrogate, then it is refused', () => {
    expect(firstRuleError(displayNameRules, 'Ada\nLovelace')).toBe('Use one line without control characters.');
    expect(firstRuleError(authorRules, 'ann\ud800')).toBe('Use one line without control characters.');
  });
});
