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

export const DISPLAY_NAME_MAX = 50;
export const BIO_MAX = 280;
