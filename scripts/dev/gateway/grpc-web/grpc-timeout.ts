// The grpc-timeout header (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md):
// at most 8 digits and a unit. The gateway passes on the smaller of the caller's deadline and
// the route's, so the server stops work the caller no longer waits for.

const UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 0.001, n: 0.000_001 };

export function parseGrpcTimeout(value: string | undefined): number | undefined {
  const match = /^(\d{1,8})([HMSmun])$/.exec(value ?? '');
  if (!match) return undefined;
  return Number(match[1]) * (UNIT_MS[match[2] ?? 'm'] ?? 1);
}

export function formatGrpcTimeout(ms: number): string {
  return `${Math.max(1, Math.ceil(ms))}m`;
}
