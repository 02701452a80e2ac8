// xhr2 ships no types; it exports a constructor compatible with the browser's XMLHttpRequest.
declare module 'xhr2' {
  const XMLHttpRequest: typeof globalThis.XMLHttpRequest;
  export default XMLHttpRequest;
}
