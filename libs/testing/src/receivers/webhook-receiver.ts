import { createHmac, timingSafeEqual } from 'node:crypto';
import { ServerResponse } from 'node:http';
import { HttpReceiver, ReceivedRequest } from './http-receiver';

/**
 * A generic webhook endpoint: accepts JSON POSTs (204), and with a `secret` checks the `X-PIM-Signature:
 * sha256=<hex>` header (HMAC-SHA256 of the raw body), answering 401 when it does not match.
 */
export class WebhookReceiver extends HttpReceiver {
  constructor(private readonly secret?: string) {
    super();
  }

  /** Whether the request's signature is the HMAC-SHA256 of its raw body under `secret`. */
  static verify(request: ReceivedRequest, secret: string): boolean {
    const header = request.headers['x-pim-signature'];
    if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
    const expected = Buffer.from(createHmac('sha256', secret).update(request.rawBody).digest('hex'));
    const given = Buffer.from(header.slice('sha256='.length));
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  protected answer(request: ReceivedRequest, res: ServerResponse): void {
    if (request.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    if (request.json === undefined) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('body must be JSON');
      return;
    }
    if (this.secret && !WebhookReceiver.verify(request, this.secret)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('bad signature');
      return;
    }
    this.accepted.push(request);
    res.writeHead(204).end();
  }
}
