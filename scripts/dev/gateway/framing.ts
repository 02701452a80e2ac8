// Request framing the gateway accepts. Node's parser (llhttp, strict mode) already refuses most
// ambiguous shapes: Transfer-Encoding with Content-Length, duplicate or non-numeric Content-Length,
// `chunked` that is not the final coding, bad chunk sizes, obs-fold. It lets through a few that a
// proxy must not pass on: a non-chunked coding before `chunked` (`gzip, chunked`), an empty
// Transfer-Encoding, Transfer-Encoding on HTTP/1.0, a missing or repeated Host, and a repeated
// Authorization (not a list field, RFC 9110 §5.3: Node keeps only the first, so a second credential
// would silently vanish on the way to the services, which refuse two with 400). Those are checked here, on the raw header lines, so a repeated header cannot hide behind Node's joining.
import type { IncomingMessage } from 'node:http';

/** How the gateway will frame the body it forwards, once the request passed {@link framingOf}. */
export type RequestFraming = { readonly kind: 'none' } | { readonly kind: 'length'; readonly length: number } | { readonly kind: 'chunked' };

export type FramingResult = { readonly ok: true; readonly framing: RequestFraming } | { readonly ok: false; readonly problem: string };

const DIGITS = /^\d{1,15}$/;

/**
 * The body framing of a request per RFC 9112 §6 (and §3.2 for Host), or why it is refused.
 * Refused: Transfer-Encoding on HTTP/1.0 (§6.1 says to treat its framing as faulty), any
 * Transfer-Encoding other than exactly one `chunked` (case-insensitive; the gateway forwards
 * no other coding), Transfer-Encoding together with Content-Length (§6.1), Content-Length that
 * is repeated or not a plain decimal number (§6.3), an HTTP/1.1 request without exactly one Host, and
 * more than one Authorization header.
 */
export function framingOf(req: IncomingMessage): FramingResult {
  const transferEncodings: string[] = [];
  const contentLengths: string[] = [];
  let hosts = 0;
  let authorizations = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    const value = req.rawHeaders[i + 1] ?? '';
    if (name === 'transfer-encoding') transferEncodings.push(value);
    else if (name === 'content-length') contentLengths.push(value);
    else if (name === 'host') hosts += 1;
    else if (name === 'authorization') authorizations += 1;
  }
  if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && hosts !== 1) {
    return { ok: false, problem: 'an HTTP/1.1 request needs exactly one Host header' };
  }
  if (hosts > 1) return { ok: false, problem: 'more than one Host header' };
  if (authorizations > 1) return { ok: false, problem: 'more than one Authorization header' };
  if (transferEncodings.length > 0) {
    if (req.httpVersionMajor === 1 && req.httpVersionMinor === 0) {
      return { ok: false, problem: 'Transfer-Encoding is not allowed in an HTTP/1.0 request' };
    }
    if (contentLengths.length > 0) return { ok: false, problem: 'Transfer-Encoding and Content-Length together are ambiguous' };
    if (transferEncodings.length !== 1 || transferEncodings[0]?.trim().toLowerCase() !== 'chunked') {
      return { ok: false, problem: 'the only Transfer-Encoding accepted is a single "chunked"' };
    }
    return { ok: true, framing: { kind: 'chunked' } };
  }
  if (contentLengths.length > 1) return { ok: false, problem: 'more than one Content-Length header' };
  const [declared] = contentLengths;
  if (declared === undefined) return { ok: true, framing: { kind: 'none' } };
  const value = declared.trim();
  if (!DIGITS.test(value)) return { ok: false, problem: 'Content-Length must be a decimal number of bytes' };
  const length = Number(value);
  return { ok: true, framing: length === 0 ? { kind: 'none' } : { kind: 'length', length } };
}
