/** A CloudEvents-shaped domain event; the transport (logs now, NATS later) adds id and time. */
export interface DomainEvent<T = unknown> {
  readonly type: string;
  readonly subject: string;
  readonly data: T;
}

export interface UserSignedInData {
  readonly uid: string;
  readonly authTime: number;
  readonly signInProvider: string;
}

export const USER_SIGNED_IN = 'testbed.user.signed_in';

export const userSignedIn = (data: UserSignedInData): DomainEvent<UserSignedInData> => ({
  type: USER_SIGNED_IN,
  subject: data.uid,
  data,
});
