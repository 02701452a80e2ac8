import { computed } from 'vue';
import { useTheme } from 'vuetify';

const storageKey = 'testbed.theme';

/** The theme chosen last time, or undefined to follow the system setting. */
export function storedTheme(): 'light' | 'dark' | undefined {
  try {
    const value = localStorage.getItem(storageKey);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function useThemePreference() {
  const theme = useTheme();
  const isDark = computed(() => theme.current.value.dark);
  function toggle() {
    const next = isDark.value ? 'light' : 'dark';
    // The promise settles when the transition ends; the new theme is already applied, nothing waits for it.
    void theme.change(next);
    try {
      localStorage.setItem(storageKey, next);
    } catch {
      // Private mode without storage: the choice lasts for this page only.
    }
  }
  return { isDark, toggle };
}
