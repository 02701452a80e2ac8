// The CloudEvents catalogue (issue 12): filled in by the contracts-events work.
export {};
