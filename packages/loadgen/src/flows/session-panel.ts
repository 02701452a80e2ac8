import { expectThat, type Flow } from './flow.js';

/** The session panel: auth.v1.AuthService/GetSession over grpc-web, as the SPA's api/auth-grpc.ts calls it. */
export const sessionPanel: Flow = {
  name: 'session-panel',
  async run({ user, getSession }) {
    const session = await user.withToken(getSession);
    expectThat(session.email === user.email && session.uid !== '', "GetSession: the session is not this user's");
  },
};
