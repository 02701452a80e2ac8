// Preloaded into a service process by broken-stdout.int.test.ts: on SIGTERM something writes to the
// console (as libraries do: deprecation notices, driver warnings), which hits the broken pipe.
process.on('SIGTERM', () => {
  console.log('a library writes to stdout during shutdown');
  console.error('a library writes to stderr during shutdown');
});
