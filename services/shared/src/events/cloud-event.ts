// The catalogue lives in @testbed/contracts/events (issue 12: contracts defined once); the kit's
// machinery imports it through this module.
export * from '@testbed/contracts/events';
