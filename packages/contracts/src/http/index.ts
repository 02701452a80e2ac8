// The HTTP contracts of public-api and secure-api (issue 12): filled in by the contracts-http work.
export {};
