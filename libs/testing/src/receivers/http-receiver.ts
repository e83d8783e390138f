import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The raw body, byte for byte (signatures are computed over it). */
  rawBody: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  at: number;
}

/** A fault the next requests meet: an HTTP status (with headers and body), or no answer at all (a timeout). */
export type Fault =
  { kind: 'status'; status: number; headers?: Record<string, string>; body?: string } | { kind: 'hang' };

/**
 * A small real HTTP server that records what it receives and can be told to fail the next requests (5xx, 429 with
 * Retry-After, hanging until the client gives up). Subclasses decide what a normal request is answered with.
 */
export abstract class HttpReceiver {
  /** Every request, including those answered with a fault. */
  readonly requests: ReceivedRequest[] = [];
  /** Requests answered normally (2xx). */
  readonly accepted: ReceivedRequest[] = [];
  private faults: Fault[] = [];
  private server?: Server;
  private hanging = new Set<ServerResponse>();

  /** The next `times` requests meet `fault` (queued after faults already planned). */
  fail(fault: Fault, times = 1): this {
    for (let i = 0; i < times; i++) this.faults.push(fault);
    return this;
  }

  /** Forgets planned faults and recorded requests. */
  reset(): void {
    this.faults = [];
    this.requests.length = 0;
    this.accepted.length = 0;
  }

  protected abstract answer(request: ReceivedRequest, res: ServerResponse): void;

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, host, () => resolve()));
    const address = server.address() as AddressInfo;
    return `http://${host}:${address.port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        json = undefined;
      }
      const request: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        rawBody,
        json,
        at: Date.now(),
      };
      this.requests.push(request);
      const fault = this.faults.shift();
      if (fault?.kind === 'hang') {
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      if (fault) {
        res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers });
        res.end(fault.body ?? '');
        return;
      }
      this.answer(request, res);
    });
  }
}
