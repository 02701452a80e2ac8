export interface Profile {
  readonly uid: string;
  readonly displayName: string;
  readonly bio: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ProfileChanges {
  readonly displayName: string;
  readonly bio: string;
}

/** Limits in Unicode code points, shared with public-api and the SPA. */
export { DISPLAY_NAME_MAX } from '@testbed/text';
