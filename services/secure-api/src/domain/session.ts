// auth-service's answer, as the service kit's client maps it (one mapping for every caller).
export type { AuthLevel, VerifiedSession } from '@testbed/service-kit/auth';
