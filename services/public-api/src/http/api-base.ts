/** Where the public routes live; the gateway forwards exactly this prefix. */
export const API_BASE = '/api/public';
